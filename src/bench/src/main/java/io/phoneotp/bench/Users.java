package io.phoneotp.bench;

/**
 * The benchmark's users, the same in every realm. Client thread t of n signs in only users i with
 * i % n == t, and user i's number ends in the two digits 10 + i % n: signing-in users of different
 * threads never share the last two digits, the only digits the log delivery shows.
 */
final class Users {

    static final int COUNT = 120;

    private final int threads;

    Users(int threads) {
        if (threads < 2 || threads > 89) {
            throw new IllegalArgumentException("bench.threads must be between 2 and 89");
        }
        this.threads = threads;
    }

    static String username(int i) {
        return String.format("u%03d", i);
    }

    static String password(int i) {
        return "pw-" + username(i);
    }

    static String totpSecret(int i) {
        return "bench-totp-secret-" + username(i);
    }

    /** A valid US number (415 555 XXYY): distinct for every user, the last two digits telling the thread apart. */
    String phone(int i) {
        return String.format("+1415555%02d%02d", 10 + i / threads, 10 + i % threads);
    }

    String lastTwoDigits(int i) {
        String phone = phone(i);
        return phone.substring(phone.length() - 2);
    }
}
