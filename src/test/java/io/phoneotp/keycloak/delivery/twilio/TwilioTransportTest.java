package io.phoneotp.keycloak.delivery.twilio;

import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.phoneotp.keycloak.delivery.DeliveryFailure;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport on a real Apache HTTP client (the kind Keycloak provides) against a local server. */
class TwilioTransportTest {

    HttpServer server;
    CloseableHttpClient http = HttpClients.createDefault();
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int status = 201;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"sid\":\"SM1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        http.close();
    }

    @Test
    void postsTheFormWithBasicAuthToTheConfiguredBaseUrl() {
        TwilioTransport transport = new TwilioTransport(http, "http://127.0.0.1:" + server.getAddress().getPort() + "/", 1000, 1000);

        Response response = transport.reliableRequest(messageRequest());

        assertEquals(201, response.getStatusCode());
        assertEquals(1, received.size());
        assertTrue(received.get(0).startsWith("POST /2010-04-01/Accounts/AC1/Messages.json Basic QUMxOnRva2Vu "), received.get(0));
        assertTrue(received.get(0).contains("To=%2B14155552671"), received.get(0));
    }

    @Test
    void aServerErrorIsReturnedOnceAndNeverRetried() {
        status = 503;
        TwilioTransport transport = new TwilioTransport(http, "http://127.0.0.1:" + server.getAddress().getPort(), 1000, 1000);

        Response response = transport.reliableRequest(messageRequest());

        assertEquals(503, response.getStatusCode());
        assertEquals(1, received.size(), "the SDK's default would have sent it three times");
    }

    @Test
    void aRefusedConnectionBecomesAnUnavailableProviderWithoutACode() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TwilioTransport transport = new TwilioTransport(http, "http://127.0.0.1:" + closedPort, 1000, 1000);

        ApiException e = assertThrows(ApiException.class, () -> transport.reliableRequest(messageRequest()));

        assertNull(e.getCode());
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(DeliveryFailure.UNAVAILABLE, TwilioErrors.translate(e).failure());
    }

    private static Request messageRequest() {
        Request request = new Request(HttpMethod.POST, "api", "/2010-04-01/Accounts/AC1/Messages.json");
        request.setAuth("AC1", "token");
        request.addPostParam("To", "+14155552671");
        request.addPostParam("Body", "hello");
        return request;
    }
}
