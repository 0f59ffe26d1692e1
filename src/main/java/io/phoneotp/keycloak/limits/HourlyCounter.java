package io.phoneotp.keycloak.limits;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Counts events per key in fixed one-hour windows in Keycloak's cluster-wide single-use object
 * store. The store has no atomic counter, so each event takes a numbered slot with
 * {@code putIfAbsent}, which has one winner across the cluster; a binary search over
 * {@code contains} finds the first free slot, so a check costs O(log max).
 */
final class HourlyCounter {

    private static final long WINDOW_SECONDS = 3600;

    private final SingleUseObjectProvider store;
    private final String key;
    private final int max;
    private final long window;
    private final long secondsLeft;

    HourlyCounter(SingleUseObjectProvider store, String key, int max, long nowSeconds) {
        this.store = store;
        this.key = key;
        this.max = max;
        this.window = nowSeconds / WINDOW_SECONDS;
        this.secondsLeft = (window + 1) * WINDOW_SECONDS - nowSeconds;
    }

    boolean full() {
        return store.contains(slot(max - 1));
    }

    /** @return true when a slot was taken, false when the window is full */
    boolean tryTake() {
        int low = 0;
        int high = max;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (store.contains(slot(mid))) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int i = low; i < max; i++) {
            if (store.putIfAbsent(slot(i), secondsLeft + 60)) {
                return true;
            }
        }
        return false;
    }

    /** The number of the hourly window this counter counts in. */
    long window() {
        return window;
    }

    /** Seconds until this window ends and the count starts again. */
    long secondsLeft() {
        return secondsLeft;
    }

    private String slot(int i) {
        return "phone-otp:" + key + ":" + window + ":" + i;
    }
}
