package io.phoneotp.keycloak.challenge;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodeChallengeTest {

    static final long NOW = 1_000_000L;
    /** One request at a time: every try is its own. */
    static final CodeChallenge.Tries ANY_TRY = (codeId, index) -> true;

    @Test
    void issuesDigitsOfTheRequestedLength() {
        for (int length = 4; length <= 10; length++) {
            String code = new CodeChallenge().issue(length, 300, NOW);
            assertEquals(length, code.length());
            assertTrue(code.chars().allMatch(Character::isDigit), code);
        }
    }

    @Test
    void keepsOnlyASaltedHashNeverTheCode() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        Map<String, String> notes = challenge.toNotes();

        assertFalse(notes.values().stream().anyMatch(v -> v != null && v.contains(code)), notes.toString());
        CodeChallenge other = new CodeChallenge();
        other.issue(6, 300, NOW);
        assertNotEquals(notes.get(CodeChallenge.SALT), other.toNotes().get(CodeChallenge.SALT), "a fresh salt per code");
    }

    @Test
    void theRightCodeWorksOnceOnly() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);

        assertEquals(Verification.VALID, challenge.verify(code, 3, NOW + 1000, ANY_TRY));
        assertEquals(Verification.NO_CODE, challenge.verify(code, 3, NOW + 2000, ANY_TRY));
    }

    @Test
    void spacesAndDashesTypedInACodeAreIgnored() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);

        assertEquals(Verification.VALID, challenge.verify(code.substring(0, 3) + " - " + code.substring(3), 3, NOW, ANY_TRY));
    }

    @Test
    void expiresAfterItsLifetime() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 30, NOW);

        assertEquals(Verification.EXPIRED, challenge.verify(code, 3, NOW + 30_000, ANY_TRY));
    }

    @Test
    void wrongCodesUseUpTheAttemptsAndThenEvenTheRightCodeFails() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        String wrong = code.equals("000000") ? "111111" : "000000";

        assertEquals(Verification.INVALID, challenge.verify(wrong, 2, NOW, ANY_TRY));
        assertEquals(1, challenge.attemptsLeft(2));
        assertEquals(Verification.INVALID, challenge.verify(wrong, 2, NOW, ANY_TRY));
        assertEquals(0, challenge.attemptsLeft(2));
        assertEquals(Verification.ATTEMPTS_EXHAUSTED, challenge.verify(code, 2, NOW, ANY_TRY));
    }

    @Test
    void aNewCodeReplacesTheOldAndResetsTheAttempts() {
        CodeChallenge challenge = new CodeChallenge();
        String first = challenge.issue(6, 300, NOW);
        challenge.verify("x", 3, NOW, ANY_TRY);
        String second = challenge.issue(6, 300, NOW + 1000);

        assertEquals(3, challenge.attemptsLeft(3));
        if (!first.equals(second)) {
            assertEquals(Verification.INVALID, challenge.verify(first, 3, NOW + 2000, ANY_TRY));
        }
        assertEquals(Verification.VALID, challenge.verify(second, 3, NOW + 2000, ANY_TRY));
    }

    @Test
    void countsSendsAndTheCooldown() {
        CodeChallenge challenge = new CodeChallenge();
        assertFalse(challenge.anySent());
        assertEquals(0, challenge.secondsUntilResend(30, NOW));

        challenge.issue(6, 300, NOW);
        assertTrue(challenge.anySent());
        assertEquals(30, challenge.secondsUntilResend(30, NOW));
        assertEquals(1, challenge.secondsUntilResend(30, NOW + 29_001));
        assertEquals(0, challenge.secondsUntilResend(30, NOW + 30_000));
        assertFalse(challenge.sendsExhausted(2));
        challenge.issue(6, 300, NOW + 30_000);
        assertTrue(challenge.sendsExhausted(2));
    }

    @Test
    void eachResendWaitsTwiceAsLongUpToTenMinutes() {
        CodeChallenge challenge = new CodeChallenge();
        long[] expected = {30, 60, 120, 240, 480, 600, 600};
        for (long wait : expected) {
            challenge.issue(6, 300, NOW);
            assertEquals(wait, challenge.secondsUntilResend(30, NOW));
        }
        assertEquals(0, new CodeChallenge().secondsUntilResend(0, NOW));
    }

    @Test
    void aDiscardedCodeCannotBeUsedButTheSendStillCounts() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        challenge.discardCode();

        assertEquals(Verification.NO_CODE, challenge.verify(code, 3, NOW, ANY_TRY));
        assertEquals(1, challenge.sends());
        assertEquals(0, challenge.secondsUntilResend(30, NOW), "nothing reached the phone: no wait");
    }

    @Test
    void survivesTheRoundTripThroughSessionNotes() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        challenge.verify("nope", 3, NOW, ANY_TRY);

        Map<String, String> notes = new HashMap<>(challenge.toNotes());
        notes.values().removeIf(java.util.Objects::isNull);
        CodeChallenge restored = CodeChallenge.fromNotes(notes);

        assertEquals(2, restored.attemptsLeft(3));
        assertEquals(1, restored.sends());
        assertEquals(Verification.VALID, restored.verify(code, 3, NOW + 1, ANY_TRY));
    }

    @Test
    void aCodeThatWentNowhereFailsEvenWhenGuessedAndCountsLikeASend() {
        CodeChallenge challenge = new CodeChallenge();
        challenge.issueUndelivered(6, 300, NOW);
        CodeChallenge delivered = new CodeChallenge();
        delivered.issue(6, 300, NOW);

        assertEquals(delivered.sends(), challenge.sends());
        assertEquals(delivered.secondsUntilResend(30, NOW), challenge.secondsUntilResend(30, NOW));
        // every possible 4-digit code: none signs in, each is just a wrong code
        challenge.issueUndelivered(4, 300, NOW);
        int valid = 0;
        for (int i = 0; i < 10_000; i++) {
            CodeChallenge copy = CodeChallenge.fromNotes(withoutNulls(challenge.toNotes()));
            if (copy.verify(String.format("%04d", i), 3, NOW, ANY_TRY) == Verification.VALID) {
                valid++;
            }
        }
        assertEquals(0, valid);
    }

    @Test
    void aTryTakenByAParallelCheckIsNotChecked() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        java.util.Set<String> taken = new java.util.HashSet<>();
        CodeChallenge.Tries once = (codeId, index) -> taken.add(codeId + ":" + index);

        // two checks that read the same state: the second finds its try taken, even with the right code
        CodeChallenge first = CodeChallenge.fromNotes(withoutNulls(challenge.toNotes()));
        CodeChallenge second = CodeChallenge.fromNotes(withoutNulls(challenge.toNotes()));
        assertEquals(Verification.VALID, first.verify(code, 3, NOW, once));
        assertEquals(Verification.ATTEMPTS_EXHAUSTED, second.verify(code, 3, NOW, once));
    }

    @Test
    void aDroppedCodeKeepsTheSendsAndTheWait() {
        CodeChallenge challenge = new CodeChallenge();
        String code = challenge.issue(6, 300, NOW);
        challenge.dropCode();

        assertEquals(Verification.NO_CODE, challenge.verify(code, 3, NOW, ANY_TRY));
        assertEquals(1, challenge.sends());
        assertEquals(30, challenge.secondsUntilResend(30, NOW));
    }

    private static Map<String, String> withoutNulls(Map<String, String> notes) {
        Map<String, String> copy = new HashMap<>(notes);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
