package io.phoneotp.keycloak.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A visitor of the login pages without a browser, as an attacker's script would be: it keeps its
 * own cookies, posts the forms it is shown (or forms of its own making), can send one post many
 * times at once, and can present itself behind the server's trusted proxy as any client address.
 */
public final class RawVisitor {

    /** The sign-in page of the realm's client test-app; the visitor never follows the redirect back to it. */
    public static final String LOGIN = AdminRest.SERVER + "/realms/" + PhoneOtpTestBase.REALM + "/protocol/openid-connect/auth?client_id=test-app"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8500%2Fcallback&response_type=code&scope=openid";

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final String clientAddress;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    /** Further headers on every request from now on, such as those a proxy in front of Keycloak would set. */
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String page = "";
    private String location;
    private int status;

    /** @param clientAddress sent as {@code X-Forwarded-For} (the test server trusts the loopback proxy), or null */
    public RawVisitor(String clientAddress) {
        this.clientAddress = clientAddress;
    }

    public RawVisitor() {
        this(null);
    }

    /** Opens a page and follows the server's redirects within Keycloak. */
    public RawVisitor open(String url) {
        return answer(send(request(url).GET().build()));
    }

    /** Posts the form with this id, as shown on the current page, with these fields. */
    public RawVisitor submit(String formId, Map<String, String> fields) {
        return answer(send(post(formId, fields)));
    }

    /**
     * Posts the form with this id with a body of its own making, sent as it is: the same field more
     * than once, raw percent-escapes (%00, broken UTF-8), anything a browser would not send.
     */
    public RawVisitor submitRaw(String formId, String urlEncodedBody) {
        return answer(send(request(action(formId)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(urlEncodedBody)).build()));
    }

    /** Sends this header with every further request (a User-Agent of the visitor's choosing, what a proxy may add); null stops sending it. */
    public RawVisitor header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    /** Whether the current page has a form with this id. */
    public boolean hasForm(String formId) {
        return page.contains("id=\"" + formId + "\"");
    }

    /** The HTTP status of the last answer (after Keycloak's own redirects were followed). */
    public int status() {
        return status;
    }

    /** Posts the same form {@code times} times at once; the answers in the order they were sent. */
    public List<HttpResponse<String>> submitAtOnce(String formId, Map<String, String> fields, int times) {
        HttpRequest post = post(formId, fields);
        List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < times; i++) {
            answers.add(HTTP.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    public String page() {
        return page;
    }

    /** Takes up a page shown before (after a request made beside it, as a page's script makes one). */
    public RawVisitor restore(String shown) {
        page = shown;
        return this;
    }

    /** Where the last answer sent the visitor when it left Keycloak (the application's callback), else null. */
    public String location() {
        return location;
    }

    public boolean signedIn() {
        return location != null && location.startsWith(FakeTwilio.BASE_URL + "/callback") && location.contains("code=");
    }

    private HttpRequest post(String formId, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return request(action(formId)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Where the form with this id on the current page posts to. */
    private String action(String formId) {
        Matcher action = Pattern.compile("id=\"" + formId + "\"[^>]*action=\"([^\"]+)\"").matcher(page);
        if (!action.find()) {
            throw new AssertionError("no form " + formId + " on the page: " + page);
        }
        return action.group(1).replace("&amp;", "&");
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
        if (!cookies.isEmpty()) {
            // sent by hand: Java's cookie store keeps Keycloak's Secure/SameSite cookies for itself
            builder.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
        }
        if (clientAddress != null) {
            builder.header("X-Forwarded-For", clientAddress);
        }
        headers.forEach(builder::setHeader); // replaces a header of the client's own, such as User-Agent
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawVisitor answer(HttpResponse<String> response) {
        for (String cookie : response.headers().allValues("set-cookie")) {
            String pair = cookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        location = null;
        status = response.statusCode();
        String next = response.headers().firstValue("location").orElse(null);
        if (response.statusCode() / 100 == 3 && next != null) {
            if (next.startsWith(AdminRest.SERVER)) {
                return open(next);
            }
            location = next;
        }
        page = response.body();
        return this;
    }
}
