package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * The Twilio SDK's transport, replaced: requests go over Keycloak's own outbound HTTP client (its
 * proxy and truststore settings apply) to a configurable base URL, with explicit timeouts, and a
 * request is never repeated. The SDK's default transport retries any 5xx, POSTs included, so one
 * failed send could become three text messages.
 */
final class TwilioTransport extends HttpClient {

    private final CloseableHttpClient http;
    private final String baseUrl;
    private final RequestConfig timeouts;

    TwilioTransport(CloseableHttpClient http, String baseUrl, int connectTimeoutMillis, int readTimeoutMillis) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeouts = RequestConfig.custom()
                .setConnectTimeout(connectTimeoutMillis)
                .setConnectionRequestTimeout(connectTimeoutMillis)
                .setSocketTimeout(readTimeoutMillis)
                .build();
    }

    @Override
    protected boolean shouldRetry(Response response, int[] retryCodes) {
        return false;
    }

    @Override
    public Response makeRequest(Request request) {
        URL sdkUrl = request.constructURL();
        String url = baseUrl + sdkUrl.getFile();
        HttpRequestBase httpRequest;
        if (request.getMethod() == HttpMethod.POST) {
            HttpPost post = new HttpPost(url);
            post.setEntity(new StringEntity(request.encodeFormBody(), ContentType.APPLICATION_FORM_URLENCODED.withCharset(StandardCharsets.UTF_8)));
            httpRequest = post;
        } else if (request.getMethod() == HttpMethod.GET) {
            httpRequest = new HttpGet(url);
        } else {
            throw new ApiException("HTTP method not supported by this transport: " + request.getMethod());
        }
        httpRequest.setConfig(timeouts);
        httpRequest.setHeader("Authorization", request.getAuthString());
        httpRequest.setHeader("Accept", "application/json");
        httpRequest.setHeader("User-Agent", "keycloak-phone-otp");
        try (CloseableHttpResponse response = http.execute(httpRequest)) {
            HttpEntity entity = response.getEntity();
            String body = entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
            return new Response(body, response.getStatusLine().getStatusCode());
        } catch (IOException e) {
            // The SDK's convention for a network failure: an ApiException without a Twilio code.
            throw new ApiException("Twilio could not be reached: " + e.getClass().getSimpleName(), e);
        }
    }
}
