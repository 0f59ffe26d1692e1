package io.phoneotp.keycloak.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final CircuitBreaker breaker = new CircuitBreaker();

    @AfterEach
    void resetClock() {
        Time.setOffset(0);
    }

    @Test
    void opensAfterFiveFailuresInARowAndLetsOneTrialThroughThirtySecondsLater() {
        for (int i = 1; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
            assertTrue(breaker.allows());
            assertFalse(breaker.recordFailure(), "failure " + i + " leaves it closed");
        }
        assertTrue(breaker.allows());
        assertTrue(breaker.recordFailure(), "the fifth failure opens it");
        assertFalse(breaker.allows());
        assertEquals(30, breaker.secondsOpen());

        Time.setOffset(31);
        assertTrue(breaker.allows(), "the trial");
        assertFalse(breaker.allows(), "only one trial at a time");
        assertTrue(breaker.recordAnswer(), "the trial's answer closes it");
        assertTrue(breaker.allows());
        assertTrue(breaker.allows());
    }

    @Test
    void aFailedTrialOpensItAgainAtOnce() {
        for (int i = 0; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
            breaker.recordFailure();
        }
        Time.setOffset(31);
        assertTrue(breaker.allows());
        breaker.recordFailure();
        assertFalse(breaker.allows());
    }

    @Test
    void anAnswerBetweenFailuresStartsTheCountAgain() {
        for (int i = 1; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
            breaker.recordFailure();
        }
        breaker.recordAnswer(); // a refused number is an answer: the provider is up
        for (int i = 1; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
            breaker.recordFailure();
        }
        assertTrue(breaker.allows());
    }
}
