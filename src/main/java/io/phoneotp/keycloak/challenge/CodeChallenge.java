package io.phoneotp.keycloak.challenge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One login's code challenge: the outstanding code (hashed), its expiry, the wrong tries on it, and
 * how many codes this login has sent and when. Pure state and rules, no Keycloak types, so the
 * rules are unit-tested; {@link ChallengeNotes} keeps it in the authentication session.
 */
public final class CodeChallenge {

    static final String SALT = "code.salt";
    static final String HASH = "code.hash";
    static final String EXPIRES_AT = "code.expires-at";
    static final String FAILED = "code.failed";
    static final String UNDELIVERED = "code.undelivered";
    static final String SENDS = "sends";
    static final String LAST_SENT_AT = "last-sent-at";
    /** Every note this class reads and writes (the caller gives them its own prefix). */
    public static final List<String> NOTE_KEYS = List.of(SALT, HASH, EXPIRES_AT, FAILED, UNDELIVERED, SENDS, LAST_SENT_AT);

    /**
     * Hands out the numbered tries on one code. Where several requests may check codes at once, the
     * caller backs it with a store that has one winner per number, so parallel guesses cannot
     * exceed the tries allowed, and a right code signs in once.
     */
    @FunctionalInterface
    public interface Tries {
        /** @return true when the try numbered {@code index} (0-based) on the code {@code codeId} is this request's */
        boolean claim(String codeId, int index);
    }

    private CodeHash code;
    private long expiresAt;
    private int failed;
    private boolean undelivered;
    private int sends;
    private long lastSentAt;

    public static CodeChallenge fromNotes(Map<String, String> notes) {
        CodeChallenge c = new CodeChallenge();
        if (notes.get(SALT) != null && notes.get(HASH) != null) {
            c.code = new CodeHash(notes.get(SALT), notes.get(HASH));
        }
        c.expiresAt = parseLong(notes.get(EXPIRES_AT));
        c.failed = (int) parseLong(notes.get(FAILED));
        c.undelivered = notes.get(UNDELIVERED) != null;
        c.sends = (int) parseLong(notes.get(SENDS));
        c.lastSentAt = parseLong(notes.get(LAST_SENT_AT));
        return c;
    }

    /** Every key this class writes; a key mapped to null is to be removed. */
    public Map<String, String> toNotes() {
        Map<String, String> notes = new HashMap<>();
        notes.put(SALT, code == null ? null : code.salt());
        notes.put(HASH, code == null ? null : code.hash());
        notes.put(EXPIRES_AT, code == null ? null : Long.toString(expiresAt));
        notes.put(FAILED, code == null ? null : Integer.toString(failed));
        notes.put(UNDELIVERED, code == null || !undelivered ? null : "true");
        notes.put(SENDS, sends == 0 ? null : Integer.toString(sends));
        notes.put(LAST_SENT_AT, lastSentAt == 0 ? null : Long.toString(lastSentAt));
        return notes;
    }

    /** True once a code has been sent in this login (a reload must then not send again). */
    public boolean anySent() {
        return sends > 0;
    }

    /** True while a delivered code is outstanding (used up, expired or not). */
    public boolean hasCode() {
        return code != null;
    }

    public int sends() {
        return sends;
    }

    public boolean sendsExhausted(int maxSends) {
        return sends >= maxSends;
    }

    /** The longest the doubling cooldown grows to, unless the administrator's own cooldown is longer. */
    static final long MAX_BACKOFF_SECONDS = 600;

    /**
     * Seconds the user must still wait before another code may be sent; 0 when it may be sent now.
     * The wait doubles with each code sent in this login: cooldown, 2x, 4x ... up to ten minutes.
     */
    public long secondsUntilResend(int cooldownSeconds, long nowMillis) {
        if (lastSentAt == 0) {
            return 0;
        }
        long backoff = Math.min((long) cooldownSeconds << Math.min(sends - 1, 20), Math.max(cooldownSeconds, MAX_BACKOFF_SECONDS));
        long waitMillis = lastSentAt + backoff * 1000L - nowMillis;
        return waitMillis <= 0 ? 0 : (waitMillis + 999) / 1000;
    }

    /**
     * Issues a new code, replacing any outstanding one, and counts the send.
     *
     * @return the code in clear text, to be delivered and then forgotten
     */
    public String issue(int length, int ttlSeconds, long nowMillis) {
        String plain = CodeGenerator.digits(length);
        code = CodeHash.of(plain);
        expiresAt = nowMillis + ttlSeconds * 1000L;
        failed = 0;
        undelivered = false;
        sends++;
        lastSentAt = nowMillis;
        return plain;
    }

    /**
     * Counts a send that goes nowhere, exactly as {@link #issue} counts one that goes out: for a
     * sign-in that must look the same whether the code went out or not. The code is never told to
     * anybody, and typing it, even by a lucky guess, fails like a wrong code.
     */
    public void issueUndelivered(int length, int ttlSeconds, long nowMillis) {
        issue(length, ttlSeconds, nowMillis);
        undelivered = true;
    }

    /** Identifies the outstanding code (its salt, random per code), for the tries on it; null when there is none. */
    public String codeId() {
        return code == null ? null : code.salt();
    }

    /**
     * Forgets the outstanding code, for a delivery that failed: nobody received it, so there is
     * nothing to wait for either (the send still counts toward the limit).
     */
    public void discardCode() {
        code = null;
        lastSentAt = 0;
    }

    /** Forgets the outstanding code and keeps the counts: another number or a cancel must not reset the login's limits. */
    public void dropCode() {
        code = null;
    }

    public int attemptsLeft(int maxAttempts) {
        return Math.max(0, maxAttempts - failed);
    }

    /**
     * Checks a typed code. Each check takes the next numbered try from {@code tries}; a check that
     * loses its try to a parallel one is not checked at all, and answered as one try too many.
     */
    public Verification verify(String candidate, int maxAttempts, long nowMillis, Tries tries) {
        if (code == null) {
            return Verification.NO_CODE;
        }
        if (failed >= maxAttempts) {
            return Verification.ATTEMPTS_EXHAUSTED;
        }
        if (nowMillis >= expiresAt) {
            return Verification.EXPIRED;
        }
        if (!tries.claim(code.salt(), failed)) {
            return Verification.ATTEMPTS_EXHAUSTED;
        }
        String typed = candidate == null ? "" : candidate.replaceAll("[\\s-]", "");
        if (code.matches(typed) && !undelivered) {
            code = null; // single use
            return Verification.VALID;
        }
        failed++;
        return Verification.INVALID;
    }

    private static long parseLong(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
