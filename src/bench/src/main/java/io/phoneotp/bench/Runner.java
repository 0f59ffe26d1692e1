package io.phoneotp.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/** Client threads signing users in for a given time; each thread keeps its own visitor and its own users. */
final class Runner {

    private static final com.sun.management.OperatingSystemMXBean OWN_JVM =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** What one phase measured. */
    static final class Phase {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        final List<Long> sendNanos = Collections.synchronizedList(new ArrayList<>());
        final List<Long> secondStepNanos = Collections.synchronizedList(new ArrayList<>());
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long wallNanos;
        /** When the phase ran, to tell a profile's samples of one variant from another's. */
        java.time.Instant from;
        java.time.Instant to;
        /** CPU time Keycloak and this benchmark's own JVM (clients, fake Twilio, log reader) used during the phase. */
        long serverCpuNanos;
        long clientCpuNanos;

        int ok() {
            return nanos.size();
        }

        double serverCpuMillisPerSignIn() {
            return ok() == 0 ? Double.NaN : serverCpuNanos / 1e6 / ok();
        }

        /** Keycloak's CPU per sign-in less what it spends anyway in that time while idle (timers, the JIT, GC of earlier rounds). */
        double serverCpuMillisPerSignInBeyondIdle(double idleCpuMillisPerSecond) {
            return ok() == 0 ? Double.NaN : (serverCpuNanos / 1e6 - idleCpuMillisPerSecond * wallNanos / 1e9) / ok();
        }

        double clientCpuMillisPerSignIn() {
            return ok() == 0 ? Double.NaN : clientCpuNanos / 1e6 / ok();
        }

        double perSecond() {
            return wallNanos == 0 ? 0 : ok() / (wallNanos / 1e9);
        }
    }

    private final Visitor[] visitors;
    private final int[] next;
    private final int threads;
    private final LongSupplier serverCpu;

    Runner(Config config, CodeBox codes, Users users, int threads, LongSupplier serverCpu) {
        this.serverCpu = serverCpu;
        this.threads = threads;
        this.visitors = new Visitor[threads];
        this.next = new int[threads];
        for (int t = 0; t < threads; t++) {
            visitors[t] = new Visitor(config.server(), codes, users);
            next[t] = t;
        }
    }

    /** All threads sign in users of this variant; a sign-in started before the deadline is finished and counted. */
    Phase run(Variant v, double seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Phase phase = new Phase();
        long serverBefore = serverCpu.getAsLong();
        long clientBefore = OWN_JVM.getProcessCpuTime();
        phase.from = java.time.Instant.now();
        Thread[] running = start(v, phase, stop);
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : running) {
            t.join();
        }
        phase.wallNanos = System.nanoTime() - start;
        phase.to = java.time.Instant.now();
        phase.serverCpuNanos = serverCpu.getAsLong() - serverBefore;
        phase.clientCpuNanos = OWN_JVM.getProcessCpuTime() - clientBefore;
        return phase;
    }

    /** Starts the threads and returns at once; they run until {@code stop} is set. */
    Thread[] start(Variant v, Phase phase, AtomicBoolean stop) {
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running[t] = new Thread(() -> {
                while (!stop.get()) {
                    long began = System.nanoTime();
                    int user = next[thread];
                    next[thread] = user + threads < Users.COUNT ? user + threads : thread;
                    Visitor.Result r = visitors[thread].signIn(v, user);
                    if (r.ok()) {
                        phase.nanos.add(r.nanos());
                        if (r.sendStepNanos() >= 0) {
                            phase.sendNanos.add(r.sendStepNanos());
                        }
                        if (r.secondStepNanos() >= 0) {
                            phase.secondStepNanos.add(r.secondStepNanos());
                        }
                    } else {
                        phase.errors.add(Users.username(user) + ": " + r.error());
                    }
                    holdForTheGateway(v, began);
                }
            }, "client-" + v.letter + "-" + t);
            running[t].start();
        }
        return running;
    }

    /**
     * With a slow gateway, a client starts its next sign-in only once its last send can have been
     * answered: each client is one send waiting at the gateway, so N clients keep N sends in flight
     * however soon the page answers (a user does not sign in again while the code is on its way).
     */
    private static void holdForTheGateway(Variant v, long began) {
        if (v.gatewayDelayMillis < 1000) {
            return;
        }
        long left = v.gatewayDelayMillis - (System.nanoTime() - began) / 1_000_000;
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double percentileMillis(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
