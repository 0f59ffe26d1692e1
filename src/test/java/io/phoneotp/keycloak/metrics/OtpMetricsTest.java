package io.phoneotp.keycloak.metrics;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names and labels as Keycloak's Prometheus registry renders them on /metrics: the public names the README lists. */
class OtpMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OtpMetrics metrics = new OtpMetrics(registry);

    @Test
    void codesByOutcomeWithTheirReason() {
        metrics.delivered("demo", "sms", null, TimeUnit.MILLISECONDS.toNanos(120));
        metrics.delivered("demo", "sms", null, TimeUnit.MILLISECONDS.toNanos(80));
        metrics.delivered("demo", "voice", "invalid_number", TimeUnit.MILLISECONDS.toNanos(300));
        metrics.notDelivered("demo", "sms", "unavailable");
        metrics.refused("demo", "sms", "realm");

        String scrape = registry.scrape();
        assertLine(scrape, "phone_otp_codes_sent_total{channel=\"sms\",outcome=\"sent\",realm=\"demo\",reason=\"\",} 2.0");
        assertLine(scrape, "phone_otp_codes_sent_total{channel=\"voice\",outcome=\"failed\",realm=\"demo\",reason=\"invalid_number\",} 1.0");
        assertLine(scrape, "phone_otp_codes_sent_total{channel=\"sms\",outcome=\"failed\",realm=\"demo\",reason=\"unavailable\",} 1.0");
        assertLine(scrape, "phone_otp_codes_sent_total{channel=\"sms\",outcome=\"refused\",realm=\"demo\",reason=\"realm\",} 1.0");
    }

    @Test
    void deliveryTimeOnlyForCallsToTheProvider() {
        metrics.delivered("demo", "sms", null, TimeUnit.MILLISECONDS.toNanos(120));
        metrics.delivered("demo", "sms", null, TimeUnit.MILLISECONDS.toNanos(800));
        metrics.notDelivered("demo", "sms", "unavailable"); // never called: no time

        String scrape = registry.scrape();
        assertLine(scrape, "phone_otp_delivery_duration_seconds_count{channel=\"sms\",outcome=\"sent\",realm=\"demo\",} 2.0");
        assertLine(scrape, "phone_otp_delivery_duration_seconds_sum{channel=\"sms\",outcome=\"sent\",realm=\"demo\",} 0.92");
        assertLine(scrape, "phone_otp_delivery_duration_seconds_bucket{channel=\"sms\",outcome=\"sent\",realm=\"demo\",le=\"0.25\",} 1.0");
        assertLine(scrape, "phone_otp_delivery_duration_seconds_bucket{channel=\"sms\",outcome=\"sent\",realm=\"demo\",le=\"1.0\",} 2.0");
        assertTrue(scrape.lines().noneMatch(l -> l.startsWith("phone_otp_delivery_duration") && l.contains("outcome=\"failed\"")), scrape);
    }

    @Test
    void verificationsByOutcome() {
        metrics.verification("demo", "sms", OtpMetrics.VALID);
        metrics.verification("demo", "sms", "invalid_code");
        metrics.verification("demo", "sms", "invalid_code");

        String scrape = registry.scrape();
        assertLine(scrape, "phone_otp_verifications_total{channel=\"sms\",outcome=\"valid\",realm=\"demo\",} 1.0");
        assertLine(scrape, "phone_otp_verifications_total{channel=\"sms\",outcome=\"invalid_code\",realm=\"demo\",} 2.0");
    }

    @Test
    void theRealmBudgetUsedAndItsLimitAsLastApplied() {
        metrics.budgetUsed("demo", 1000);
        metrics.budgetUsed("demo", 50);
        metrics.budgetUsed("other", 1000);

        String scrape = registry.scrape();
        assertLine(scrape, "phone_otp_realm_budget_used_total{realm=\"demo\",} 2.0");
        assertLine(scrape, "phone_otp_realm_budget_limit{realm=\"demo\",} 50.0");
        assertLine(scrape, "phone_otp_realm_budget_used_total{realm=\"other\",} 1.0");
        assertLine(scrape, "phone_otp_realm_budget_limit{realm=\"other\",} 1000.0");
    }

    @Test
    void theLimitChecksTimeAndStoreCalls() {
        metrics.limitsChecked("demo", TimeUnit.MILLISECONDS.toNanos(3), 25);
        metrics.limitsChecked("demo", TimeUnit.MILLISECONDS.toNanos(5), 1);

        String scrape = registry.scrape();
        assertLine(scrape, "phone_otp_send_limits_duration_seconds_count{realm=\"demo\",} 2.0");
        assertLine(scrape, "phone_otp_send_limits_duration_seconds_sum{realm=\"demo\",} 0.008");
        assertLine(scrape, "phone_otp_send_limits_store_calls_total{realm=\"demo\",} 26.0");
    }

    @Test
    void aMeterThatCannotBeRegisteredNeverStopsASend() {
        // another meter took the name with other labels: the Prometheus registry refuses ours
        registry.counter(OtpMetrics.CODES_SENT, "something", "else").increment();
        metrics.refused("demo", "sms", "ip");
        metrics.verification("demo", "sms", OtpMetrics.VALID);
        assertLine(registry.scrape(), "phone_otp_verifications_total{channel=\"sms\",outcome=\"valid\",realm=\"demo\",} 1.0");
    }

    private static void assertLine(String scrape, String line) {
        List<String> lines = scrape.lines().toList();
        assertTrue(lines.contains(line), "expected the line\n" + line + "\nin\n" + scrape);
    }

    @Test
    void everyNameIsOurs() {
        for (String name : List.of(OtpMetrics.CODES_SENT, OtpMetrics.VERIFICATIONS, OtpMetrics.DELIVERY_DURATION,
                OtpMetrics.REALM_BUDGET_USED, OtpMetrics.REALM_BUDGET_LIMIT)) {
            assertEquals(0, name.indexOf("phone.otp."), name);
        }
    }
}
