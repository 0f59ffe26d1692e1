package io.phoneotp.keycloak.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to Keycloak with a bearer token, as an administrator's script makes them: the extension's admin resource, and status codes and error bodies the admin client would hide. */
public final class AdminRest {

    public static final String SERVER = "http://localhost:8080";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminRest() {
    }

    public static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> put(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(SERVER + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }
}
