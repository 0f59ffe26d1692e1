package io.phoneotp.keycloak.delivery;

import org.keycloak.common.util.Time;

/**
 * Fails sends at once while a provider keeps failing, instead of letting each one wait for its
 * timeout: after {@link #FAILURES_TO_OPEN} failures in a row the circuit opens for
 * {@link #OPEN_MILLIS}; then one send is let through as a trial, and its outcome closes the circuit
 * or opens it again. Only failures of the provider count (unreachable, overloaded); a refused
 * number is an answer, so it closes the circuit. Per server node, by design: each node learns of
 * the provider's state from its own sends.
 */
final class CircuitBreaker {

    static final int FAILURES_TO_OPEN = 5;
    static final long OPEN_MILLIS = 30_000;

    private int failuresInARow;
    /** 0 while closed, else when the next trial may start. */
    private long openUntil;
    private boolean trialRunning;

    /** Whether a send may go to the provider now; when the circuit is half open, only the one trial. */
    synchronized boolean allows() {
        if (openUntil == 0) {
            return true;
        }
        if (Time.currentTimeMillis() < openUntil || trialRunning) {
            return false;
        }
        trialRunning = true;
        return true;
    }

    /** @return true when this failure opened the circuit (it was closed until now) */
    synchronized boolean recordFailure() {
        trialRunning = false;
        failuresInARow++;
        boolean wasClosed = openUntil == 0;
        if (!wasClosed || failuresInARow >= FAILURES_TO_OPEN) {
            openUntil = Time.currentTimeMillis() + OPEN_MILLIS;
            return wasClosed;
        }
        return false;
    }

    /** @return true when this answer closed an open circuit */
    synchronized boolean recordAnswer() {
        boolean wasOpen = openUntil != 0;
        trialRunning = false;
        failuresInARow = 0;
        openUntil = 0;
        return wasOpen;
    }

    /** The trial that {@link #allows()} granted did not run. */
    synchronized void trialNotRun() {
        trialRunning = false;
    }

    synchronized long secondsOpen() {
        return openUntil == 0 ? 0 : Math.max(0, (openUntil - Time.currentTimeMillis() + 999) / 1000);
    }
}
