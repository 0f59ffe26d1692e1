package io.phoneotp.keycloak.it.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's front door on 127.0.0.1:8080 (the nodes' hostname {@code http://localhost:8080}): a
 * small HTTP proxy in the test process that sends each request to the node the test chose, so a test
 * decides which node serves every step of a sign-in. It counts the requests each node served.
 */
final class FrontProxy implements AutoCloseable {

    /** Hop-by-hop headers, and those Java's HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "upgrade", "http2-settings", "host", "content-length", "expect", "date", "from", "via", "warning", "trailer");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "front-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private volatile KeycloakNode target;

    FrontProxy(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 100);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** Every request from now on goes to this node. */
    void routeTo(KeycloakNode node) {
        target = node;
    }

    /** How many requests this node has served through the front door. */
    int served(KeycloakNode node) {
        return served.computeIfAbsent(node.name, n -> new AtomicInteger()).get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        KeycloakNode node = target;
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + exchange.getRequestURI().getRawPath()
                    + (query == null ? "" : "?" + query))).timeout(Duration.ofSeconds(60));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            byte[] body = exchange.getRequestBody().readAllBytes();
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                respond(exchange, 502, Map.of(), ("node " + node.name + " did not answer: " + e).getBytes());
                return;
            }
            served.computeIfAbsent(node.name, n -> new AtomicInteger()).incrementAndGet();
            respond(exchange, answer.statusCode(), answer.headers().map(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body) throws IOException {
        headers.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
