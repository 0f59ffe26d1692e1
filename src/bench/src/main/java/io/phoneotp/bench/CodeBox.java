package io.phoneotp.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Codes as they arrive (from the server log or from the fake Twilio), by a key that tells the
 * in-flight sign-ins apart. A sign-in notes the key's sequence number before the request that
 * sends the code and then waits for a newer one.
 */
final class CodeBox {

    private record Entry(long seq, String code) {
    }

    private final Map<String, Entry> latest = new HashMap<>();
    private long seq;

    synchronized void put(String key, String code) {
        latest.put(key, new Entry(++seq, code));
        notifyAll();
    }

    synchronized long mark(String key) {
        Entry e = latest.get(key);
        return e == null ? 0 : e.seq();
    }

    /** The first code for the key newer than the mark, waiting up to the timeout; null when none came. */
    synchronized String await(String key, long mark, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Entry e = latest.get(key);
            if (e != null && e.seq() > mark) {
                return e.code();
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }
}
