package io.phoneotp.keycloak.delivery;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phoneotp.keycloak.metrics.OtpMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every send the pool runs or turns away is counted once, with its outcome; only calls to the provider are timed. */
class DeliveryPoolMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String realm = "pool-" + UUID.randomUUID();

    DeliveryPoolMetricsTest() {
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void detach() {
        Metrics.removeRegistry(registry);
    }

    @Test
    void sentAndFailedSendsAreCountedAndTimed() throws Exception {
        DeliveryPool.Circuit circuit = new DeliveryPool.Circuit(UUID.randomUUID().toString(), realm, Channel.SMS);
        DeliveryPool.instance().submit(circuit, "+14155552671", () -> "SM1").get();
        DeliveryPool.instance().submit(circuit, "+14155552671", () -> {
            throw new DeliveryException(DeliveryFailure.INVALID_NUMBER, 21211, "invalid", null);
        }).get();
        DeliveryPool.instance().submit(circuit, "+14155552671", () -> {
            throw new IllegalStateException("a bug in a sender");
        }).get();

        assertEquals(1, codes("sent", ""));
        assertEquals(1, codes("failed", "invalid_number"));
        assertEquals(1, codes("failed", "unavailable"));
        assertEquals(1, registry.get(OtpMetrics.DELIVERY_DURATION).tag(OtpMetrics.REALM, realm).tag(OtpMetrics.OUTCOME, "sent").timer().count());
        assertEquals(2, registry.get(OtpMetrics.DELIVERY_DURATION).tag(OtpMetrics.REALM, realm).tag(OtpMetrics.OUTCOME, "failed").timer().count());
    }

    @Test
    void anOpenCircuitFailsAtOnceAndCountsWithoutATime() throws Exception {
        DeliveryPool.Circuit circuit = new DeliveryPool.Circuit(UUID.randomUUID().toString(), realm, Channel.VOICE);
        for (int i = 0; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
            DeliveryPool.instance().submit(circuit, "+14155552671", () -> {
                throw new DeliveryException(DeliveryFailure.UNAVAILABLE, null, true, "down", null);
            }).get();
        }
        DeliveryException refused = assertThrows(DeliveryException.class, () -> DeliveryPool.instance().submit(circuit, "+14155552671", () -> "CA1"));

        assertEquals(DeliveryFailure.UNAVAILABLE, refused.failure());
        assertEquals(CircuitBreaker.FAILURES_TO_OPEN + 1, codes("failed", "unavailable"));
        assertEquals(CircuitBreaker.FAILURES_TO_OPEN, registry.get(OtpMetrics.DELIVERY_DURATION).tag(OtpMetrics.REALM, realm).timer().count());
    }

    private double codes(String outcome, String reason) {
        var found = registry.find(OtpMetrics.CODES_SENT).tag(OtpMetrics.REALM, realm).tag(OtpMetrics.OUTCOME, outcome)
                .tag(OtpMetrics.REASON, reason).counter();
        return found == null ? 0 : found.count();
    }
}
