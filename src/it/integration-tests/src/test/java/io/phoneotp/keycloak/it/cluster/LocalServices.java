package io.phoneotp.keycloak.it.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.phoneotp.keycloak.it.AdminRest;
import io.phoneotp.keycloak.it.FakeTwilio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * What the production-mode and cluster tests share with the rest of the suite, without the test
 * framework: the fake Twilio on 127.0.0.1:8500 (one per test run), and the administrator's side
 * through {@code http://localhost:8080}: a token, the test realm, the phone policy.
 */
final class LocalServices {

    static final String REALM = "phone-otp-test";
    static final String POLICY = "/admin/realms/" + REALM + "/phone-otp/policy";
    /** These servers have no vault (the build enables none): the realm's provider settings hold the token itself. */
    static final String TWILIO_TOKEN = "token-of-the-test-account";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeTwilio twilio;

    private LocalServices() {
    }

    /** The fake Twilio, started on first use and stopped with the JVM. */
    static synchronized FakeTwilio twilio() {
        if (twilio == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8500), 50);
                server.setExecutor(Executors.newFixedThreadPool(8, r -> {
                    Thread t = new Thread(r, "fake-twilio");
                    t.setDaemon(true);
                    return t;
                }));
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "stop-fake-twilio"));
                twilio = FakeTwilio.on(server);
            } catch (IOException e) {
                throw new UncheckedIOException("port 8500 is taken: is another test run going on?", e);
            }
        }
        return twilio;
    }

    /** A fresh access token of the bootstrap administrator (master realm, admin-cli). */
    static String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(Cluster.ADMIN) + "&password=" + enc(Cluster.ADMIN_PASSWORD);
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(AdminRest.SERVER + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("no admin token: " + answer.statusCode());
            }
            return JSON.readTree(answer.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates the suite's test realm (phone-otp-test-realm.json) afresh, as an administrator imports a realm file. */
    static void importTestRealm() {
        try (InputStream in = LocalServices.class.getResourceAsStream("/phone-otp-test-realm.json")) {
            String realm = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${vault.twilio-token}", TWILIO_TOKEN);
            String token = adminToken();
            AdminRest.delete("/admin/realms/" + REALM, token); // left by an earlier test class: its counters go with it
            HttpResponse<String> created = AdminRest.post("/admin/realms", token, realm);
            if (created.statusCode() != 201) {
                throw new AssertionError("realm import refused: " + created.statusCode() + " " + created.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The realm's phone policy as the administrator reads it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> policy() {
        return readJson(get(POLICY));
    }

    /** Changes keys of the realm's phone policy, as an administrator would; other keys keep their values. */
    static void policy(Map<String, Object> changes) {
        Map<String, Object> policy = policy();
        policy.putAll(changes);
        HttpResponse<String> saved = put(POLICY, policy);
        if (saved.statusCode() != 200) {
            throw new AssertionError("policy refused: " + saved.body());
        }
    }

    static HttpResponse<String> get(String path) {
        try {
            HttpResponse<String> answer = AdminRest.get(path, adminToken());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": " + answer.statusCode() + " " + answer.body());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> put(String path, Object body) {
        try {
            return AdminRest.put(path, adminToken(), JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> delete(String path) {
        try {
            return AdminRest.delete(path, adminToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The id of a user of the test realm. */
    static String userId(String username) {
        try {
            return JSON.readTree(get("/admin/realms/" + REALM + "/users?exact=true&username=" + enc(username)).body()).get(0).get("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes settings of the SMS step of the test realm's browser flow (its second-factor sub-flow), as the gear in the admin console does. */
    @SuppressWarnings("unchecked")
    static void stepConfig(Map<String, String> changes) {
        try {
            String flows = "/admin/realms/" + REALM + "/authentication/flows/";
            String configId = null;
            for (var execution : JSON.readTree(get(flows + enc("browser-phone-otp second factor").replace("+", "%20") + "/executions").body())) {
                if ("phone-otp-sms".equals(execution.path("providerId").asText())) {
                    configId = execution.get("authenticationConfig").asText();
                }
            }
            String path = "/admin/realms/" + REALM + "/authentication/config/" + configId;
            Map<String, Object> config = readJson(get(path));
            ((Map<String, Object>) config.get("config")).putAll(changes);
            HttpResponse<String> saved = put(path, config);
            if (saved.statusCode() != 204) {
                throw new AssertionError("step settings refused: " + saved.statusCode() + " " + saved.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(HttpResponse<String> answer) {
        try {
            return JSON.readValue(answer.body(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
