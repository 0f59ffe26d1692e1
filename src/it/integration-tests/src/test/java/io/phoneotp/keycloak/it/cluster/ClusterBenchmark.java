package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Not part of the suite (the name does not end in Test): a measurement on the two-node cluster, run
 * on demand with {@code mvn -B verify -Dit.test=ClusterBenchmark}. One client signs alice in with a
 * code by text message, again and again, in alternating rounds: every request through node A, and
 * every request to the other node than the one before (the code sent by one node, typed on the
 * other). It prints sign-ins per second and the median time of a sign-in for both, and, read from
 * the nodes' own {@code /metrics}, the time the hourly limit counters took per send and the calls
 * to Keycloak's cluster-wide single-use store they made. It asserts only that the sign-ins work.
 */
class ClusterBenchmark extends ClusterTestBase {

    private static final int ROUNDS = Integer.getInteger("phone-otp.cluster.rounds", 4);
    private static final int SIGN_INS_PER_ROUND = Integer.getInteger("phone-otp.cluster.signIns", 40);
    private static final Pattern SERIES = Pattern.compile("^(phone_otp_send_limits_[a-z_]+)\\{realm=\"phone-otp-test\",?} ([0-9.E+-]+)$");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void signInsThroughOneNodeAndAlternatingBetweenBoth() throws Exception {
        LocalServices.policy(Map.of("maxSendsPerNumberPerHour", 100_000, "maxSendsPerUserPerHour", 100_000, "maxSendsPerIpPerHour", 100_000,
                "maxSendsPerRealmPerHour", 1_000_000, "maxSendsPerPrefixPerHour", 100_000));
        // warm-up, both ways
        run(false, 15);
        run(true, 15);

        List<Long> oneNode = new ArrayList<>();
        List<Long> alternating = new ArrayList<>();
        long oneNodeNanos = 0;
        long alternatingNanos = 0;
        Map<String, Double> before = limitMetrics();
        for (int round = 0; round < ROUNDS; round++) {
            boolean alternateFirst = round % 2 == 1;
            for (boolean alternate : new boolean[]{alternateFirst, !alternateFirst}) {
                long started = System.nanoTime();
                List<Long> times = run(alternate, SIGN_INS_PER_ROUND);
                long took = System.nanoTime() - started;
                if (alternate) {
                    alternating.addAll(times);
                    alternatingNanos += took;
                } else {
                    oneNode.addAll(times);
                    oneNodeNanos += took;
                }
            }
        }
        Map<String, Double> after = limitMetrics();
        double checks = after.get("phone_otp_send_limits_duration_seconds_count") - before.get("phone_otp_send_limits_duration_seconds_count");
        double seconds = after.get("phone_otp_send_limits_duration_seconds_sum") - before.get("phone_otp_send_limits_duration_seconds_sum");
        double calls = after.get("phone_otp_send_limits_store_calls_total") - before.get("phone_otp_send_limits_store_calls_total");

        System.out.printf("%nCLUSTER BENCHMARK  two Keycloak 26.7.3 nodes (start --optimized, PostgreSQL, jdbc-ping), %d CPU cores shared with"
                + " the client; one client, %d rounds x %d sign-ins each way (alternating order), SMS through the fake Twilio%n",
                Runtime.getRuntime().availableProcessors(), ROUNDS, SIGN_INS_PER_ROUND);
        print("every request through node A", oneNode, oneNodeNanos);
        print("each request to the other node", alternating, alternatingNanos);
        System.out.printf("  hourly limit counters, per send (both ways, from the nodes' /metrics): %.0f checks, %.2f ms each on average,"
                + " %.1f calls to the single-use store each%n", checks, 1000 * seconds / checks, calls / checks);
        assertTrue(checks >= 2.0 * ROUNDS * SIGN_INS_PER_ROUND, "every sign-in checked the limits");
    }

    /** Signs alice in {@code n} times; the time of each whole sign-in in nanoseconds. */
    private List<Long> run(boolean alternate, int n) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int texts = twilio.textsTo(ClusterSignInTest.ALICE).size();
            long started = System.nanoTime();
            RawVisitor alice = signIn("alice", a);
            String code = twilio.awaitText(ClusterSignInTest.ALICE, texts + 1).code();
            typeCode(alice, code, alternate ? b : a);
            times.add(System.nanoTime() - started);
            assertTrue(alice.signedIn(), alice.location() + " " + alice.page());
        }
        return times;
    }

    private static void print(String what, List<Long> nanos, long wallNanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("  %-32s %6.1f sign-ins/s   median %6.1f ms   90th percentile %6.1f ms%n", what, nanos.size() / (wallNanos / 1e9),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.9)) / 1e6);
    }

    /** The limit checks' series of the test realm, summed over both nodes. */
    private Map<String, Double> limitMetrics() throws Exception {
        Map<String, Double> sums = new java.util.HashMap<>(Map.of("phone_otp_send_limits_duration_seconds_count", 0.0,
                "phone_otp_send_limits_duration_seconds_sum", 0.0, "phone_otp_send_limits_store_calls_total", 0.0));
        for (KeycloakNode node : List.of(a, b)) {
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : scrape.lines().toList()) {
                Matcher m = SERIES.matcher(line);
                if (m.matches() && sums.containsKey(m.group(1))) {
                    sums.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return sums;
    }
}
