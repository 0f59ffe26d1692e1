package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Plain HTTP calls to Keycloak, as an administrator's script would make them. */
final class AdminRest {

    static final String SERVER = "http://localhost:8080";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminRest() {
    }

    /** A token for a user of the test realm, through the realm's own admin-cli client (password grant). */
    static String userToken(String username) throws IOException, InterruptedException {
        return userToken(username, "admin-cli");
    }

    /** A token through the given client of the test realm (password grant). */
    static String userToken(String username, String clientId) throws IOException, InterruptedException {
        return passwordGrant(username, clientId, "");
    }

    /** The access token of a password grant ({@code extra}: more form fields, starting with {@code &}). */
    private static String passwordGrant(String username, String clientId, String extra) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=" + clientId + "&username=" + username + "&password="
                + URLEncoder.encode(username + "-password", StandardCharsets.UTF_8) + extra;
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(SERVER + "/realms/" + PhoneOtpTestBase.REALM
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(response.body());
        if (!json.has("access_token")) {
            throw new IllegalStateException("no token for " + username + ": " + response.body());
        }
        return json.get("access_token").asText();
    }

    /**
     * What an application learns about the user's phone: the claims of an access token asked for
     * with Keycloak's built-in {@code phone} scope (password grant through account-test).
     */
    static JsonNode phoneClaims(String username) throws IOException, InterruptedException {
        String payload = passwordGrant(username, "account-test", "&scope=openid%20phone").split("\\.")[1];
        return new ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(payload));
    }

    static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> put(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(SERVER + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }
}
