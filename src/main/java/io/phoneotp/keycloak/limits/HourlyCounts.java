package io.phoneotp.keycloak.limits;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Adds one to several hourly counters at once, or to none when one of them is full, exactly and
 * atomically across cluster nodes, with Keycloak's cluster-wide single-use object store only.
 * <p>
 * The store has no compare-and-set, but {@code putIfAbsent} has one winner across the cluster, so
 * each counter has a lock entry: take the locks (in key order, so two sends never wait for each
 * other), read the counts, write them in a transaction of their own (a session's writes otherwise
 * wait for the end of its request), release the locks. Per counter that is four store calls, and
 * one entry per window whatever the limit or the traffic. A lock expires by itself after
 * {@link #LOCK_SECONDS}, should its node die while holding it.
 */
final class HourlyCounts {

    static final long LOCK_SECONDS = 3;
    /** Longer than a lock lives, so a lock left by a dead node is outwaited. */
    private static final long WAIT_MILLIS = 4_000;
    private static final String COUNT = "n";

    /**
     * @param blocked the first counter that had no room (or whose lock could not be had in time), null when every counter counted one more
     * @param busy    the lock could not be had in time: a node died holding it, or the store is overloaded
     */
    record Result(HourlyCounter blocked, boolean busy) {
        boolean taken() {
            return blocked == null;
        }
    }

    private final KeycloakSession session;

    HourlyCounts(KeycloakSession session) {
        this.session = session;
    }

    /** Adds one to every counter when each has room, else to none. */
    Result takeOne(List<HourlyCounter> counters) {
        SingleUseObjectProvider store = session.singleUseObjects();
        List<HourlyCounter> ordered = new ArrayList<>(counters);
        ordered.sort(Comparator.comparing(HourlyCounter::lockKey));
        List<HourlyCounter> locked = new ArrayList<>();
        try {
            for (HourlyCounter counter : ordered) {
                if (!lock(store, counter)) {
                    return new Result(counter, true);
                }
                locked.add(counter);
            }
            int[] counts = new int[counters.size()];
            for (int i = 0; i < counters.size(); i++) {
                counts[i] = count(store, counters.get(i));
                if (counts[i] >= counters.get(i).max()) {
                    return new Result(counters.get(i), false);
                }
            }
            write(session.getKeycloakSessionFactory(), counters, counts);
            return new Result(null, false);
        } finally {
            locked.forEach(counter -> store.remove(counter.lockKey()));
        }
    }

    private static boolean lock(SingleUseObjectProvider store, HourlyCounter counter) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        long pause = 1;
        while (!store.putIfAbsent(counter.lockKey(), LOCK_SECONDS)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, 50);
        }
        return true;
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
