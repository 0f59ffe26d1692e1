package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's REST API as far as this extension uses it, on 127.0.0.1:8500 (the test framework's
 * HTTP server): {@code POST /2010-04-01/Accounts/{sid}/Messages.json} and {@code .../Calls.json}, with Basic auth, form fields
 * and Twilio's JSON answers and errors. It records every request so tests can read the code from
 * the SMS as a phone would, and count what was sent. Tests script failures with {@link #failNext}
 * and a slow answer with {@link #delayNext}.
 */
public final class FakeTwilio {

    public static final String BASE_URL = "http://127.0.0.1:8500";
    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";

    private static FakeTwilio instance;

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final ObjectMapper json = new ObjectMapper();
    /** Sends the delayed answers, so that a slow answer does not hold up the server's one dispatcher thread. */
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fake-twilio-delayed-answers");
        thread.setDaemon(true);
        return thread;
    });

    /** One recorded request: who authenticated, where it went, and its form fields. */
    public record Recorded(String path, String username, String password, Map<String, String> form) {
        public String to() {
            return form.get("To");
        }

        public String body() {
            return form.get("Body");
        }

        public String twiml() {
            return form.get("Twiml");
        }

        /** The call's script as a listener hears it: the text of each Say, in order. Fails unless the TwiML is well-formed. */
        public List<String> spoken() {
            try {
                org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new java.io.ByteArrayInputStream(twiml().getBytes(StandardCharsets.UTF_8)));
                org.w3c.dom.NodeList says = doc.getElementsByTagName("Say");
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < says.getLength(); i++) {
                    texts.add(says.item(i).getTextContent());
                }
                return texts;
            } catch (Exception e) {
                throw new AssertionError("TwiML is not well-formed XML: " + twiml(), e);
            }
        }

        /** The code a listener writes down: the digits read one by one, "1, 2, 3, 4, 5, 6." */
        public String spokenCode() {
            for (String text : spoken()) {
                Matcher m = Pattern.compile("(\\d(?:, \\d)+)\\.").matcher(text);
                if (m.find()) {
                    return m.group(1).replace(", ", "");
                }
            }
            throw new AssertionError("No code read digit by digit in: " + twiml());
        }

        /** The sign-in link in the text, as the phone shows it (deliveryMode link or both). */
        public String link() {
            Matcher m = Pattern.compile("https?://\\S+/phone-otp/link/[A-Za-z0-9_-]{22}").matcher(body());
            if (!m.find()) {
                throw new AssertionError("No sign-in link in: " + body());
            }
            return m.group();
        }

        /** The code as the phone would show it: the origin-bound last line {@code @host #code}. */
        public String code() {
            Matcher m = Pattern.compile("#(\\d+)\\s*$").matcher(body());
            if (!m.find()) {
                throw new AssertionError("No origin-bound code line in: " + body());
            }
            return m.group(1);
        }
    }

    private record Scripted(int status, String body, long delayMillis) {
    }

    public static synchronized FakeTwilio on(HttpServer server) {
        if (instance == null) {
            instance = new FakeTwilio();
            server.createContext("/2010-04-01/", instance::handle);
        }
        return instance;
    }

    public void reset() {
        requests.clear();
        script.clear();
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    public List<Recorded> messagesTo(String number) {
        return requests.stream().filter(r -> number.equals(r.to())).toList();
    }

    public List<Recorded> callsTo(String number) {
        return requests.stream().filter(r -> number.equals(r.to()) && r.path().endsWith("/Calls.json")).toList();
    }

    public List<Recorded> textsTo(String number) {
        return requests.stream().filter(r -> number.equals(r.to()) && r.path().endsWith("/Messages.json")).toList();
    }

    public Recorded lastCallTo(String number) {
        List<Recorded> calls = callsTo(number);
        if (calls.isEmpty()) {
            throw new AssertionError("No call was placed to " + number);
        }
        return calls.get(calls.size() - 1);
    }

    /**
     * The {@code n}-th text to {@code number} (1 = the first since reset), waiting for it: codes in
     * a sign-in by phone go out after the page is answered.
     */
    public Recorded awaitText(String number, int n) {
        return await(() -> textsTo(number), number, n, "text");
    }

    public Recorded awaitCall(String number, int n) {
        return await(() -> callsTo(number), number, n, "call");
    }

    private static Recorded await(java.util.function.Supplier<List<Recorded>> found, String number, int n, String what) {
        return Poll.until(java.time.Duration.ofSeconds(10), "No " + what + " #" + n + " to " + number,
                () -> Optional.of(found.get()).filter(all -> all.size() >= n).map(all -> all.get(n - 1)));
    }

    public Recorded lastMessageTo(String number) {
        List<Recorded> sent = textsTo(number);
        if (sent.isEmpty()) {
            throw new AssertionError("No message was sent to " + number);
        }
        return sent.get(sent.size() - 1);
    }

    /** The next request gets Twilio's error answer with this code and HTTP status. */
    public void failNext(int twilioCode, int httpStatus) {
        String body = "{\"code\":" + twilioCode + ",\"message\":\"Scripted error " + twilioCode
                + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + twilioCode + "\",\"status\":" + httpStatus + "}";
        script.add(new Scripted(httpStatus, body, 0));
    }

    /** The next request gets a bare 500, as from a failing proxy. */
    public void serverErrorNext() {
        script.add(new Scripted(500, "Internal Server Error", 0));
    }

    /** The next request is answered only after this delay (from another thread: other requests are answered meanwhile). */
    public void delayNext(long millis) {
        script.add(new Scripted(-1, null, millis));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] credentials = basicAuth(exchange);
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(new Recorded(exchange.getRequestURI().getPath(), credentials[0], credentials[1], form));

        Scripted scripted = script.poll();
        if (scripted != null && scripted.delayMillis() > 0) {
            later.schedule(() -> {
                try (exchange) {
                    answer(exchange, form);
                } catch (IOException e) {
                    // the caller gave up waiting: that is what a delayed answer is for
                }
            }, scripted.delayMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        try (exchange) {
            if (scripted != null) {
                respond(exchange, scripted.status(), scripted.body());
            } else {
                answer(exchange, form);
            }
        }
    }

    /** Twilio's answer to a message or a call that it accepted. */
    private void answer(HttpExchange exchange, Map<String, String> form) throws IOException {
        if ("POST".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().endsWith("/Calls.json")) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("sid", "CA" + UUID.randomUUID().toString().replace("-", ""));
            call.put("account_sid", exchange.getRequestURI().getPath().split("/")[3]);
            call.put("to", form.get("To"));
            call.put("from", form.get("From"));
            call.put("status", "queued");
            call.put("direction", "outbound-api");
            call.put("api_version", "2010-04-01");
            respond(exchange, 201, json.writeValueAsString(call));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath().endsWith("/Messages.json")) {
            respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return;
        }
        String accountSid = exchange.getRequestURI().getPath().split("/")[3];
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("sid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        message.put("account_sid", accountSid);
        message.put("to", form.get("To"));
        message.put("from", form.get("From"));
        message.put("messaging_service_sid", form.get("MessagingServiceSid"));
        message.put("body", form.get("Body"));
        message.put("status", "queued");
        message.put("num_segments", "1");
        message.put("direction", "outbound-api");
        message.put("api_version", "2010-04-01");
        message.put("uri", exchange.getRequestURI().getPath());
        respond(exchange, 201, json.writeValueAsString(message));
    }

    private static String[] basicAuth(HttpExchange exchange) {
        String header = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
        if (!header.startsWith("Basic ")) {
            return new String[]{null, null};
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
