package io.phoneotp.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One client thread's browser without a browser: its own cookies for each sign-in, the forms it is
 * shown (action URLs read from the HTML), redirects within Keycloak followed, the redirect to the
 * application's callback not.
 */
final class Visitor {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]*)\"");
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"");

    /**
     * The outcome of one sign-in; {@code sendStepNanos} is the answer to the password post that triggered the send (SMS only, else -1),
     * {@code secondStepNanos} the answer to the post of the second factor (TOTP and SMS, else -1).
     */
    record Result(boolean ok, long nanos, long sendStepNanos, long secondStepNanos, String error) {
        Result(boolean ok, long nanos, long sendStepNanos, String error) {
            this(ok, nanos, sendStepNanos, -1, error);
        }
    }

    private final String server;
    private final CodeBox codes;
    private final Users users;
    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String page;
    private String location;
    private int status;

    Visitor(String server, CodeBox codes, Users users) {
        this.server = server;
        this.codes = codes;
        this.users = users;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    Result signIn(Variant v, int user) {
        cookies.clear();
        long start = System.nanoTime();
        long sendStep = -1;
        try {
            open(server + "/realms/" + v.realm + "/protocol/openid-connect/auth?client_id=" + Setup.CLIENT + "&redirect_uri="
                    + URLEncoder.encode(Setup.CALLBACK, StandardCharsets.UTF_8) + "&response_type=code&scope=openid&state="
                    + UUID.randomUUID());
            String key = switch (v.kind) {
                case SMS_LOG -> KeycloakProcess.logKey(v.realm, users.lastTwoDigits(user));
                case SMS_TWILIO -> FakeTwilio.key(users.phone(user));
                default -> null;
            };
            long mark = key == null ? 0 : codes.mark(key);
            long postStart = System.nanoTime();
            submit("kc-form-login", Map.of("username", Users.username(user), "password", Users.password(user), "credentialId", ""));
            long postEnd = System.nanoTime();
            long secondStep = -1;
            switch (v.kind) {
                case PASSWORD -> {
                }
                case TOTP -> {
                    String otp = Totp.now(Users.totpSecret(user));
                    long before = System.nanoTime();
                    submit("kc-otp-login-form", Map.of("otp", otp));
                    secondStep = System.nanoTime() - before;
                }
                case SMS_LOG, SMS_TWILIO -> {
                    sendStep = postEnd - postStart;
                    if (!hasForm("phone-otp-form")) {
                        return failed(start, sendStep, "no code page after the password");
                    }
                    String code = codes.await(key, mark, 15_000);
                    if (code == null) {
                        return failed(start, sendStep, "no code arrived for " + key);
                    }
                    long before = System.nanoTime();
                    submit("phone-otp-form", Map.of("code", code));
                    secondStep = System.nanoTime() - before;
                }
            }
            long nanos = System.nanoTime() - start;
            if (location != null && location.startsWith(Setup.CALLBACK) && location.contains("code=")) {
                return new Result(true, nanos, sendStep, secondStep, null);
            }
            return failed(start, sendStep, "not redirected to the application");
        } catch (Exception e) {
            return new Result(false, System.nanoTime() - start, sendStep, e.toString());
        }
    }

    private Result failed(long start, long sendStep, String what) {
        String text = page == null ? "" : page.replaceAll("(?is)<head\\b.*?</head>", "").replaceAll("(?is)<script\\b.*?</script>", "")
                .replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
        return new Result(false, System.nanoTime() - start, sendStep, what + " (HTTP " + status + ", location " + location + "): "
                + text.substring(0, Math.min(300, text.length())));
    }

    private boolean hasForm(String id) {
        return formAction(id) != null;
    }

    private String formAction(String id) {
        Matcher forms = FORM.matcher(page == null ? "" : page);
        while (forms.find()) {
            String tag = forms.group();
            Matcher idm = ID.matcher(tag);
            Matcher action = ACTION.matcher(tag);
            if (idm.find() && idm.group(1).equals(id) && action.find()) {
                return action.group(1).replace("&amp;", "&");
            }
        }
        return null;
    }

    private void open(String url) throws IOException, InterruptedException {
        answer(http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    private void submit(String formId, Map<String, String> fields) throws IOException, InterruptedException {
        String action = formAction(formId);
        if (action == null) {
            throw new IllegalStateException("no form " + formId + " on the page (HTTP " + status + "): "
                    + (page == null ? "" : page.substring(0, Math.min(400, page.length()))));
        }
        String body = fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        answer(http.send(request(action).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (!cookies.isEmpty()) {
            // sent by hand: Java's cookie store would keep cookies marked Secure to itself on http
            b.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
        }
        return b;
    }

    private void answer(HttpResponse<String> response) throws IOException, InterruptedException {
        for (String cookie : response.headers().allValues("set-cookie")) {
            String pair = cookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        location = null;
        status = response.statusCode();
        page = response.body();
        String next = response.headers().firstValue("location").orElse(null);
        if (status / 100 == 3 && next != null) {
            if (next.startsWith(server)) {
                open(next);
                return;
            }
            location = next;
        }
    }
}
