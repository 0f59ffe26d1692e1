package io.phoneotp.keycloak.challenge;

/** The outcome of checking a typed code against the current challenge. */
public enum Verification {
    /** The code was right; it is now used up. */
    VALID,
    /** The code was wrong; attempts remain or are now exhausted (see {@link CodeChallenge#attemptsLeft}). */
    INVALID,
    /** The code's lifetime is over; a new one is needed. */
    EXPIRED,
    /** Too many wrong codes for this code; a new one is needed. */
    ATTEMPTS_EXHAUSTED,
    /** No code is outstanding (never sent, delivery failed, or already used). */
    NO_CODE
}
