package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Not part of the suite (the name does not end in Test): a measurement, run on demand with
 * {@code mvn -B verify -Dit.test=IdentifyTimingBenchmark}. It answers the identify step's page
 * many times, alternating an identifier with an account and a verified number and one without an
 * account, each in a new browser session, and prints the median and 90th percentile of the time
 * the server took to answer (measured on the loopback interface), so the two can be compared. It
 * asserts only that the two answers are the same page; the figures are for people to read.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class IdentifyTimingBenchmark extends PhoneOtpTestBase {

    /** The realm file's client test-app and its redirect URI: the benchmark never follows the redirect. */
    private static final String CALLBACK = "http%3A%2F%2F127.0.0.1%3A8500%2Fcallback";
    private static final String PASSWORDLESS_CODE = "passwordless-phone code";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final int WARM_UP = 40;
    private static final int ROUNDS = Integer.getInteger("phone-otp.timing.rounds", 300);
    private static final Pattern FORM_ACTION = Pattern.compile("id=\"phone-otp-identify-form\"[^>]*action=\"([^\"]+)\"");

    @Test
    void identifyAnswersAsFastForUnknownAccounts() throws Exception {
        var rep = realm.admin().toRepresentation();
        rep.setBrowserFlow("passwordless-phone");
        realm.admin().update(rep);
        policy(Map.of("maxSendsPerNumberPerHour", 100000, "maxSendsPerUserPerHour", 100000, "maxSendsPerIpPerHour", 100000,
                "maxSendsPerRealmPerHour", 1000000, "maxSendsPerPrefixPerHour", 1000000));
        try {
            String[][] pairs = {{"rita", "nobody-"}, {"+14155552681", "+1415555"}};
            for (String[] pair : pairs) {
                measure(pair[0], pair[1], "code");
            }
            // the same with sign-in links: a real account's text carries a stored link, an unknown one's is composed and dropped
            frontendUrl("http://localhost:8080"); // links go out only under a fixed host
            stepConfig(PASSWORDLESS_CODE, "phone-otp-sms", Map.of("deliveryMode", "link"));
            for (String[] pair : pairs) {
                measure(pair[0], pair[1], "link");
            }
        } finally {
            stepConfig(PASSWORDLESS_CODE, "phone-otp-sms", Map.of("deliveryMode", "code"));
            frontendUrl(null);
            rep.setBrowserFlow("browser-phone-otp");
            realm.admin().update(rep);
        }
    }

    private void measure(String known, String unknownPrefix, String deliveryMode) throws Exception {
        List<Long> knownNanos = new ArrayList<>();
        List<Long> unknownNanos = new ArrayList<>();
        String knownPage = null;
        String unknownPage = null;
        for (int i = 0; i < WARM_UP + ROUNDS; i++) {
            String unknown = unknownPrefix.startsWith("+") ? unknownPrefix + String.format("%04d", 100 + i % 9000) : unknownPrefix + i;
            // alternate which goes first, so that a trend over time favours neither
            boolean knownFirst = i % 2 == 0;
            Answer a = identify(knownFirst ? known : unknown);
            Answer b = identify(knownFirst ? unknown : known);
            Answer k = knownFirst ? a : b;
            Answer u = knownFirst ? b : a;
            if (i >= WARM_UP) {
                knownNanos.add(k.nanos());
                unknownNanos.add(u.nanos());
            }
            knownPage = k.page();
            unknownPage = u.page();
        }
        assertEquals(knownPage, unknownPage, "the same page for " + known + " and an unknown identifier");
        double knownMedian = percentile(knownNanos, 50);
        double unknownMedian = percentile(unknownNanos, 50);
        System.out.printf("%nIDENTIFY TIMING (deliveryMode %s, %d rounds each, loopback, server %s)%n", deliveryMode, ROUNDS, AdminRest.SERVER);
        System.out.printf("  %-22s median %7.2f ms   p90 %7.2f ms%n", "known (" + known + ")", knownMedian, percentile(knownNanos, 90));
        System.out.printf("  %-22s median %7.2f ms   p90 %7.2f ms%n", "unknown (" + unknownPrefix + "...)", unknownMedian,
                percentile(unknownNanos, 90));
        System.out.printf("  difference of medians  %+7.2f ms%n%n", knownMedian - unknownMedian);
    }

    private record Answer(long nanos, String page) {
    }

    /** One visitor: opens the sign-in page, then posts the identifier; times the post. */
    private Answer identify(String identifier) throws Exception {
        String login = AdminRest.SERVER + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id=test-app&redirect_uri="
                + CALLBACK + "&response_type=code&scope=openid";
        HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(URI.create(login)).build(), HttpResponse.BodyHandlers.ofString());
        String page = first.body();
        // the session cookies, sent back by hand (Java's cookie store keeps Keycloak's Secure/SameSite cookies for itself)
        String cookies = String.join("; ", first.headers().allValues("set-cookie").stream().map(c -> c.split(";", 2)[0]).toList());
        Matcher action = FORM_ACTION.matcher(page);
        if (!action.find()) {
            throw new AssertionError("no identify form: " + page);
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8))).build();
        long start = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        return new Answer(nanos, answer.statusCode() + " " + SamePage.comparable(answer.body()));
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }
}
