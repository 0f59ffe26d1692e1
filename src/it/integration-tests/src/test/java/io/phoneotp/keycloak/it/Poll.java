package io.phoneotp.keycloak.it;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for something that happens on another thread (of the server or of the browser) to become observable. */
public final class Poll {

    private Poll() {
    }

    /** The first value {@code probe} finds before the deadline; fails with {@code failure} when it finds none. */
    public static <T> T until(Duration timeout, String failure, Supplier<Optional<T>> probe) {
        return until(timeout, Duration.ofMillis(50), failure, probe);
    }

    /** The same, probing only every {@code interval}: for probes that cost the other side something (and may be logged there). */
    public static <T> T until(Duration timeout, Duration interval, String failure, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " (waited " + timeout.toMillis() + " ms)");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(failure + " (interrupted)");
            }
        }
    }
}
