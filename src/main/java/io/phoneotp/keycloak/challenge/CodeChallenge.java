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

    static final String SALT = "phone-otp.code.salt";
    static final String HASH = "phone-otp.code.hash";
    static final String EXPIRES_AT = "phone-otp.code.expires-at";
    static final String FAILED = "phone-otp.code.failed";
    static final String SENDS = "phone-otp.sends";
    static final String LAST_SENT_AT = "phone-otp.last-sent-at";
    /** Every note this class reads and writes. */
    public static final List<String> NOTE_KEYS = List.of(SALT, HASH, EXPIRES_AT, FAILED, SENDS, LAST_SENT_AT);

    private CodeHash code;
    private long expiresAt;
    private int failed;
    private int sends;
    private long lastSentAt;

    public static CodeChallenge fromNotes(Map<String, String> notes) {
        CodeChallenge c = new CodeChallenge();
        if (notes.get(SALT) != null && notes.get(HASH) != null) {
            c.code = new CodeHash(notes.get(SALT), notes.get(HASH));
        }
        c.expiresAt = parseLong(notes.get(EXPIRES_AT));
        c.failed = (int) parseLong(notes.get(FAILED));
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
        sends++;
        lastSentAt = nowMillis;
        return plain;
    }

    /**
     * Forgets the outstanding code, for a delivery that failed: nobody received it, so there is
     * nothing to wait for either (the send still counts toward the limit).
     */
    public void discardCode() {
        code = null;
        lastSentAt = 0;
    }

    public int attemptsLeft(int maxAttempts) {
        return Math.max(0, maxAttempts - failed);
    }

    public Verification verify(String candidate, int maxAttempts, long nowMillis) {
        if (code == null) {
            return Verification.NO_CODE;
        }
        if (failed >= maxAttempts) {
            return Verification.ATTEMPTS_EXHAUSTED;
        }
        if (nowMillis >= expiresAt) {
            return Verification.EXPIRED;
        }
        String typed = candidate == null ? "" : candidate.replaceAll("[\\s-]", "");
        if (code.matches(typed)) {
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
