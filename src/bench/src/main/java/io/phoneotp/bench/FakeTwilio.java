package io.phoneotp.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages API as far as the extension uses it ({@code POST /2010-04-01/Accounts/{sid}/Messages.json},
 * form fields, Twilio's JSON answer), on 127.0.0.1 at a free port. The code is taken from the body
 * the moment the request arrives, before the answer is delayed; the delay is chosen per Account SID,
 * so one fake serves a quick and a slow gateway. (After the integration tests' FakeTwilio.)
 */
final class FakeTwilio implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("#(\\d+)\\s*$");

    private final HttpServer server;
    private final ExecutorService workers;
    private final Map<String, Long> delayBySid = new ConcurrentHashMap<>();
    private final CodeBox codes;
    private final AtomicLong sids = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    /** Requests received and not yet answered (waiting out their delay, or being answered). */
    final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    static {
        // The JDK server leaves Nagle's algorithm on: its answer goes out in two writes (head, body), the
        // body waits for the ACK of the head, and the client delays that ACK by 40 ms. Twilio answers
        // without that wait; so must the fake, or every send would seem 40 ms slower than it is.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    FakeTwilio(CodeBox codes) throws IOException {
        this.codes = codes;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        // a thread per request in flight: a delayed answer holds its thread, never the others
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-twilio");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/2010-04-01/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void delay(String accountSid, long millis) {
        delayBySid.put(accountSid, millis);
    }

    static String key(String e164) {
        return "twilio:" + e164;
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String[] parts = path.split("/");
            String accountSid = parts.length > 3 ? parts[3] : "";
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/Messages.json")) {
                respond(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
                return;
            }
            Matcher code = CODE.matcher(form.getOrDefault("Body", ""));
            if (code.find()) {
                codes.put(key(form.get("To")), code.group(1));
            }
            messages.incrementAndGet();
            long delay = delayBySid.getOrDefault(accountSid, 0L);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            // Twilio's answer, written by hand: the fake stands for a service on another machine, so it should
            // take as little of this machine's CPU as it can (Jackson and a random UUID per answer took more)
            String answer = "{\"sid\":\"SM" + String.format("%032x", sids.incrementAndGet()) + "\",\"account_sid\":" + quote(accountSid)
                    + ",\"to\":" + quote(form.get("To")) + ",\"from\":" + quote(form.get("From"))
                    + ",\"messaging_service_sid\":" + quote(form.get("MessagingServiceSid")) + ",\"body\":" + quote(form.get("Body"))
                    + ",\"status\":\"queued\",\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\""
                    + ",\"uri\":" + quote(path) + "}";
            respond(exchange, 201, answer);
        } catch (IOException e) {
            // the caller gave up waiting
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** A JSON string, or null. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
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

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
