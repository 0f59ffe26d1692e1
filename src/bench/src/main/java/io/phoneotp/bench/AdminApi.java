package io.phoneotp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Keycloak's admin REST API as an administrator's script uses it: a bearer token of master's admin, JSON in and out. */
final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private long tokenTakenAt;

    AdminApi(String server) {
        this.server = server;
    }

    private String token() throws IOException, InterruptedException {
        // master's access tokens live 60 s; take a new one well before
        if (token == null || System.currentTimeMillis() - tokenTakenAt > 30_000) {
            String form = "client_id=admin-cli&grant_type=password&username=admin&password=admin";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("admin token refused: " + r.statusCode() + " " + r.body());
            }
            token = JSON.readTree(r.body()).get("access_token").asText();
            tokenTakenAt = System.currentTimeMillis();
        }
        return token;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(expect(send("GET", path, null), path));
    }

    String post(String path, Object body) throws IOException, InterruptedException {
        return expect(send("POST", path, body), path);
    }

    String put(String path, Object body) throws IOException, InterruptedException {
        return expect(send("PUT", path, body), path);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token())
                .header("Accept", "application/json").timeout(Duration.ofSeconds(120));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String expect(HttpResponse<String> r, String path) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.request().method() + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
