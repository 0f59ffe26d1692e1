package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension's meters on Keycloak's management interface ({@code --metrics-enabled=true},
 * {@code http://localhost:9000/metrics}): after sign-ins, a wrong code, refusals by a limit and by
 * the policy, and failed deliveries against the fake Twilio, each counter of the test realm moved
 * by exactly what happened, and no phone number or user appears anywhere in the scrape.
 * <p>
 * Every test class imports the realm under the same name, so the counters of realm
 * {@code phone-otp-test} carry what earlier classes did: the test compares before and after.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class MetricsTest extends PhoneOtpTestBase {

    static final String METRICS = "http://localhost:9000/metrics";
    static final String ALICE = "+14155552671";
    static final String CAROL = "+14155552672";
    static final String ERIN = "+14155552673";
    static final String JUDY = "+14155552678";
    static final String IVAN = "+14155552677";
    static final List<String> USERS = List.of("alice", "carol", "erin", "judy", "ivan", "mallory");

    @Test
    void theCountersMoveByExactlyWhatHappened() throws Exception {
        policy(Map.of("maxSendsPerNumberPerHour", 1, "maxSendsPerRealmPerHour", 500));
        Scrape before = settledScrape();

        // sent, then verified
        signInWithPassword("alice");
        codePage.submitCode(twilio.lastMessageTo(ALICE).code());
        assertTrue(signedIn(), pageText());

        // sent, a wrong code, then the right one
        startFresh();
        signInWithPassword("carol");
        String code = twilio.lastMessageTo(CAROL).code();
        codePage.submitCode(code.equals("000000") ? "111111" : "000000");
        assertTrue(pageText().contains("That code is not right."), pageText());
        codePage.submitCode(code);
        assertTrue(signedIn(), pageText());

        // Twilio refuses the number (21211), then fails (a bare 500): two failed deliveries, each with its class
        startFresh();
        twilio.failNext(21211, 400);
        signInWithPassword("erin");
        assertTrue(pageText().contains("the phone number on your account is not valid"), pageText());
        startFresh();
        twilio.serverErrorNext();
        signInWithPassword("judy");
        assertTrue(pageText().contains("We could not send a code right now."), pageText());

        // the per-number limit of 1: the first sign-in sends, the second is refused
        startFresh();
        signInWithPassword("ivan");
        assertEquals(1, twilio.messagesTo(IVAN).size());
        startFresh();
        signInWithPassword("ivan");
        assertTrue(pageText().contains("Too many codes were requested"), pageText());
        assertEquals(0, twilio.messagesTo(IVAN).size(), "the refused sign-in sent nothing");

        // a premium-rate number: refused by the policy
        startFresh();
        signInWithPassword("mallory");
        assertTrue(pageText().contains("Codes cannot be sent to this phone number."), pageText());
        assertTrue(twilio.requests().isEmpty());

        Scrape after = scrape();
        Map<String, Double> moved = new TreeMap<>();
        after.ours(REALM).forEach((series, value) -> {
            double delta = value - before.value(series);
            if (delta != 0 && !series.contains("_max{") && !series.contains("_sum{") && !series.contains("_bucket{")
                    && !series.startsWith("phone_otp_realm_budget_limit")) {
                moved.put(series, delta);
            }
        });
        Map<String, Double> expected = new TreeMap<>();
        expected.put(codes("sent", ""), 3.0);                         // alice, carol, ivan's first
        expected.put(codes("failed", "invalid_number"), 1.0);         // erin: Twilio 21211
        expected.put(codes("failed", "unavailable"), 1.0);            // judy: Twilio 500
        expected.put(codes("refused", "number"), 1.0);                // ivan's second: maxSendsPerNumberPerHour
        expected.put(codes("refused", "number_type_blocked"), 1.0);   // mallory: the policy
        expected.put(series("phone_otp_verifications_total", "channel", "sms", "outcome", "valid", "realm", REALM), 2.0);
        expected.put(series("phone_otp_verifications_total", "channel", "sms", "outcome", "invalid_code", "realm", REALM), 1.0);
        expected.put(series("phone_otp_delivery_duration_seconds_count", "channel", "sms", "outcome", "sent", "realm", REALM), 3.0);
        expected.put(series("phone_otp_delivery_duration_seconds_count", "channel", "sms", "outcome", "failed", "realm", REALM), 2.0);
        // every send that passed the limits counts against the budget, failed deliveries too; refusals do not
        expected.put(series("phone_otp_realm_budget_used_total", "realm", REALM), 5.0);
        // the hourly limits were asked for the five sends that passed them and for ivan's second, which the first of
        // them refused; mallory's number was refused by the policy before any limit was asked. Five limits of five store
        // calls each (look, lock, look again, write, unlock) per send that passed, one look for the refused one
        expected.put(series("phone_otp_send_limits_duration_seconds_count", "realm", REALM), 6.0);
        expected.put(series("phone_otp_send_limits_store_calls_total", "realm", REALM), 5 * 25.0 + 1);
        assertEquals(expected, moved, "the counters of realm " + REALM + " that moved, and by how much");

        assertEquals(500.0, after.value(series("phone_otp_realm_budget_limit", "realm", REALM)), "the realm's budget as last applied");
        assertTrue(after.value(series("phone_otp_delivery_duration_seconds_sum", "channel", "sms", "outcome", "sent", "realm", REALM))
                > before.value(series("phone_otp_delivery_duration_seconds_sum", "channel", "sms", "outcome", "sent", "realm", REALM)));

        assertNothingPersonal(after);
    }

    /** No phone number, username or user id in any line of the whole scrape, and our meters carry only their bounded labels. */
    private void assertNothingPersonal(Scrape scrape) {
        Set<String> ids = new TreeSet<>();
        USERS.forEach(user -> ids.add(userId(user)));
        for (String line : scrape.text.lines().toList()) {
            // a sample's value is a number of its own: the digits of a phone number are looked for in its name and labels
            String described = line.startsWith("#") ? line : line.substring(0, Math.max(0, line.lastIndexOf(' ')));
            for (String number : List.of(ALICE, CAROL, ERIN, JUDY, IVAN, "+19002345678")) {
                assertFalse(line.contains(number.substring(1)) || described.contains(number.substring(number.length() - 7)), "a phone number: " + line);
            }
            for (String id : ids) {
                assertFalse(line.contains(id), "a user id: " + line);
            }
            Matcher label = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(line.startsWith("#") ? "" : line);
            while (label.find()) {
                for (String user : USERS) { // as a word: Keycloak's own uri="/admin/serverinfo" holds "erin"
                    assertFalse(Pattern.compile("(^|[^a-z])" + user + "([^a-z]|$)").matcher(label.group(2).toLowerCase()).find(),
                            "a username as a label: " + line);
                }
            }
        }
        Set<String> keys = new TreeSet<>();
        scrape.series.keySet().stream().filter(s -> s.startsWith("phone_otp_")).forEach(s -> {
            Matcher label = Pattern.compile("(\\w+)=\"").matcher(s);
            while (label.find()) {
                keys.add(label.group(1));
            }
        });
        assertEquals(Set.of("realm", "channel", "outcome", "reason", "le"), keys, "the only labels of our meters");
    }

    private static String codes(String outcome, String reason) {
        return series("phone_otp_codes_sent_total", "channel", "sms", "outcome", outcome, "realm", REALM, "reason", reason);
    }

    /** A series as this test keys it: the name and its labels sorted by name. */
    static String series(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        StringBuilder key = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        return key.append('}').toString();
    }

    /** One scrape of /metrics: every series, keyed by {@link #series}. */
    record Scrape(String text, Map<String, Double> series) {
        double value(String key) {
            return series.getOrDefault(key, 0.0);
        }

        Map<String, Double> ours(String realm) {
            Map<String, Double> ours = new HashMap<>();
            series.forEach((key, value) -> {
                if (key.startsWith("phone_otp_") && key.contains("realm=\"" + realm + "\"")) {
                    ours.put(key, value);
                }
            });
            return ours;
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(METRICS)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "metrics are served on the management port");
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            List<String> labels = new java.util.ArrayList<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.add(label.group(1));
                labels.add(label.group(2));
            }
            series.put(series(sample.group(1), labels.toArray(String[]::new)), Double.parseDouble(sample.group(3)));
        }
        return new Scrape(response.body(), series);
    }

    /** A scrape once the test realm's counters stand still: a send of an earlier test class may still be finishing. */
    private Scrape settledScrape() throws IOException, InterruptedException {
        Scrape last = scrape();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(500);
            Scrape now = scrape();
            if (now.ours(REALM).equals(last.ours(REALM))) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the counters of realm " + REALM + " kept moving");
    }
}
