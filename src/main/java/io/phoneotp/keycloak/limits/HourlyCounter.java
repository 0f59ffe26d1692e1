package io.phoneotp.keycloak.limits;

/**
 * One hourly limit's counter: what it counts ({@code key}), its ceiling, and the fixed one-hour
 * window it counts in. The count itself lives in {@link HourlyCounts}.
 */
final class HourlyCounter {

    private static final long WINDOW_SECONDS = 3600;

    private final String key;
    private final int max;
    private final long window;
    private final long secondsLeft;

    HourlyCounter(String key, int max, long nowSeconds) {
        this.key = key;
        this.max = max;
        this.window = nowSeconds / WINDOW_SECONDS;
        this.secondsLeft = (window + 1) * WINDOW_SECONDS - nowSeconds;
    }

    /** The store key of this window's count. */
    String countKey() {
        return "phone-otp:count:" + key + ":" + window;
    }

    /** The store key of the short lock that makes read-and-add atomic across the cluster. */
    String lockKey() {
        return "phone-otp:lock:" + key;
    }

    int max() {
        return max;
    }

    /** The number of the hourly window this counter counts in. */
    long window() {
        return window;
    }

    /** Seconds until this window ends and the count starts again. */
    long secondsLeft() {
        return secondsLeft;
    }
}
