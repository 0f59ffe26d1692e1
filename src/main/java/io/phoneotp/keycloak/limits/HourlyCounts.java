package io.phoneotp.keycloak.limits;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds one to several hourly counters at once, or to none when one of them is full, exactly and
 * atomically across cluster nodes, with Keycloak's cluster-wide single-use object store only.
 * <p>
 * The store has no compare-and-set, but {@code putIfAbsent} has one winner across the cluster, so
 * each counter has a lock entry. A send first looks at the counts without locks, so one that a
 * limit refuses takes no lock at all; then it takes the locks in the order given (the callers put
 * the realm's counter, which every send shares, last, so it is held for the shortest time and two
 * sends never wait for each other in a circle), reads the counts again, writes them in a
 * transaction of its own (a session's writes otherwise wait for the end of its request), and
 * releases the locks. Per counter that is five store calls, and one entry per window whatever the
 * limit or the traffic.
 * <p>
 * A lock expires by itself after {@link #LOCK_SECONDS}, should its node die while holding it; a
 * send waits at most {@link #WAIT_MILLIS} for all its locks together, well within that lifespan, so
 * a lock it holds cannot expire and pass to another send before it is done.
 */
final class HourlyCounts {

    static final long LOCK_SECONDS = 5;
    private static final long WAIT_MILLIS = 2_000;
    private static final String COUNT = "n";

    /**
     * @param blocked the first counter that had no room (or whose lock could not be had in time), null when every counter counted one more
     * @param busy    the lock could not be had in time: a node died holding it, or the store is overloaded
     * @param storeCalls how many calls to the store it took: 5 per counter (look, lock, look again, write, unlock) when every
     *                   counter has room and no lock is contended; fewer when one is full, more while waiting for a lock
     */
    record Result(HourlyCounter blocked, boolean busy, int storeCalls) {
        boolean taken() {
            return blocked == null;
        }
    }

    private final KeycloakSession session;

    HourlyCounts(KeycloakSession session) {
        this.session = session;
    }

    /** Adds one to every counter when each has room, else to none; the counters' locks are taken in this order. */
    Result takeOne(List<HourlyCounter> counters) {
        SingleUseObjectProvider store = session.singleUseObjects();
        int[] calls = {0};
        for (HourlyCounter counter : counters) {
            calls[0]++;
            if (count(store, counter) >= counter.max()) {
                return new Result(counter, false, calls[0]);
            }
        }
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        List<HourlyCounter> locked = new ArrayList<>();
        try {
            int[] counts = new int[counters.size()];
            for (int i = 0; i < counters.size(); i++) {
                HourlyCounter counter = counters.get(i);
                if (!lock(store, counter, deadline, calls)) {
                    return new Result(counter, true, calls[0] + locked.size());
                }
                locked.add(counter);
                calls[0]++;
                counts[i] = count(store, counter);
                if (counts[i] >= counter.max()) {
                    return new Result(counter, false, calls[0] + locked.size());
                }
            }
            write(session.getKeycloakSessionFactory(), counters, counts);
            return new Result(null, false, calls[0] + counters.size() + locked.size());
        } finally {
            locked.forEach(counter -> store.remove(counter.lockKey()));
        }
    }

    /** @param calls counts each attempt to take the lock */
    private static boolean lock(SingleUseObjectProvider store, HourlyCounter counter, long deadline, int[] calls) {
        long pause = 1;
        while (true) {
            calls[0]++;
            if (store.putIfAbsent(counter.lockKey(), LOCK_SECONDS)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, 16);
        }
    }

    private static int count(SingleUseObjectProvider store, HourlyCounter counter) {
        Map<String, String> notes = store.get(counter.countKey());
        String count = notes == null ? null : notes.get(COUNT);
        return count == null ? 0 : Integer.parseInt(count);
    }

    private static void write(KeycloakSessionFactory factory, List<HourlyCounter> counters, int[] counts) {
        KeycloakModelUtils.runJobInTransaction(factory, own -> {
            SingleUseObjectProvider store = own.singleUseObjects();
            for (int i = 0; i < counters.size(); i++) {
                HourlyCounter counter = counters.get(i);
                store.put(counter.countKey(), counter.secondsLeft() + 60, Map.of(COUNT, Integer.toString(counts[i] + 1)));
            }
        });
    }
}
