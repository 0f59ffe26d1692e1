package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.metrics.OtpMetrics;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every call to a provider runs: a bounded pool of its own, never a request thread (a
 * bulkhead). A provider that answers slowly holds at most these threads and this queue, while the
 * server's other sign-ins go on; when both are full, a send fails at once. A circuit breaker per
 * realm and channel fails sends at once while the provider keeps failing.
 * <p>
 * A page may wait a moment for the provider's answer, so that it can say at once when a code did
 * not go out; only {@link #WAITERS} requests wait at a time, each at most {@link #WAIT_MILLIS}.
 * Beyond that the page answers without the outcome, and the caller learns it later.
 * <p>
 * Since every send ends here, the pool counts what became of each (sent, or failed with its
 * failure class) and times each call to the provider, whoever waits for the outcome.
 */
public final class DeliveryPool {

    static final int THREADS = 50;
    static final int QUEUE = 500;
    static final long WAIT_MILLIS = 1_000;
    static final int WAITERS = 8;

    private static final Logger LOG = Logger.getLogger(DeliveryPool.class);
    private static final DeliveryPool INSTANCE = new DeliveryPool();

    /** What became of a send: the provider's id of the message or call, or why it did not go out. */
    public record Outcome(String providerId, DeliveryException failure) {
        public boolean sent() {
            return failure == null;
        }
    }

    /** One call to a provider. */
    public interface Send {
        String run() throws DeliveryException;
    }

    private final ThreadPoolExecutor executor;
    private final Semaphore waiters = new Semaphore(WAITERS);
    private final Map<String, CircuitBreaker> circuits = new ConcurrentHashMap<>();

    private DeliveryPool() {
        AtomicInteger threadNumber = new AtomicInteger();
        executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "phone-otp-delivery-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    public static DeliveryPool instance() {
        return INSTANCE;
    }

    /** A realm's channel: one provider setting each, so one circuit. */
    public record Circuit(String realmId, String realmName, Channel channel) {
        private String key() {
            return realmId + ":" + channel.id();
        }

        @Override
        public String toString() {
            return "realm '" + realmName + "', " + channel.id();
        }
    }

    /**
     * Starts a send. The outcome completes normally, failures included.
     *
     * @param to where it goes, for the log only (masked)
     * @throws DeliveryException at once, nothing sent: the circuit is open, or the pool and its queue are full
     */
    public CompletableFuture<Outcome> submit(Circuit circuit, String to, Send send) throws DeliveryException {
        CircuitBreaker breaker = circuits.computeIfAbsent(circuit.key(), key -> new CircuitBreaker());
        if (!breaker.allows()) {
            throw notSent(circuit, new DeliveryException(DeliveryFailure.UNAVAILABLE, null,
                    "the provider kept failing; not tried again for " + breaker.secondsOpen() + " s", null));
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try {
            executor.execute(() -> outcome.complete(run(circuit, breaker, to, send)));
        } catch (RejectedExecutionException e) {
            breaker.trialNotRun();
            throw notSent(circuit, new DeliveryException(DeliveryFailure.PROVIDER_BUSY, null,
                    "all " + THREADS + " delivery threads are busy and " + QUEUE + " sends wait", null));
        }
        return outcome;
    }

    /**
     * Counts a send that failed before the provider was called: by the pool itself, or by its caller
     * before it could submit (no provider setting for the channel).
     *
     * @return {@code failure}, to throw
     */
    public DeliveryException notSent(Circuit circuit, DeliveryException failure) {
        OtpMetrics.instance().notDelivered(circuit.realmName(), circuit.channel().id(), failure.failure().id());
        return failure;
    }

    /** Waits a moment for the outcome, unless enough requests wait already; empty when it is not known yet. */
    public Optional<Outcome> awaitBriefly(CompletableFuture<Outcome> outcome) {
        if (outcome.isDone()) {
            return Optional.of(outcome.join());
        }
        if (!waiters.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(outcome.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // run() completes every outcome normally
        } finally {
            waiters.release();
        }
    }

    private static Outcome run(Circuit circuit, CircuitBreaker breaker, String to, Send send) {
        Outcome outcome;
        long started = System.nanoTime();
        try {
            outcome = new Outcome(send.run(), null);
        } catch (DeliveryException e) {
            outcome = new Outcome(null, e);
        } catch (Throwable e) { // whatever happens, the page and the circuit must learn an outcome
            LOG.warnf(e, "A send to %s failed unexpectedly", PhoneNumbers.mask(to));
            outcome = new Outcome(null, new DeliveryException(DeliveryFailure.UNAVAILABLE, null, e.getClass().getSimpleName(), null));
        }
        OtpMetrics.instance().delivered(circuit.realmName(), circuit.channel().id(),
                outcome.sent() ? null : outcome.failure().failure().id(), System.nanoTime() - started);
        if (outcome.failure() != null && outcome.failure().providerDown()) {
            if (breaker.recordFailure()) {
                LOG.warnf("The provider of %s failed %d times in a row (last: %s): sends on it fail at once for %d s, then one is tried",
                        circuit, CircuitBreaker.FAILURES_TO_OPEN, outcome.failure().getMessage(), CircuitBreaker.OPEN_MILLIS / 1000);
            }
        } else if (breaker.recordAnswer()) {
            LOG.infof("The provider of %s answers again: sends go to it again", circuit);
        }
        return outcome;
    }
}
