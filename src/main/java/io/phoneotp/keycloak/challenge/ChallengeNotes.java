package io.phoneotp.keycloak.challenge;

import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a {@link CodeChallenge} in the authentication session's notes, which Keycloak replicates
 * across the cluster. Sign-in and phone registration keep separate challenges in one session (a
 * registration right after an SMS sign-in starts with its own sends and tries), so each has a prefix.
 */
public final class ChallengeNotes {

    /** The flow steps' challenge: the code that signs the user in. */
    public static final ChallengeNotes SIGN_IN = new ChallengeNotes("");
    /** The registration action's challenge: the code that proves the new number. */
    public static final ChallengeNotes REGISTRATION = new ChallengeNotes("registration.");

    private final String prefix;

    private ChallengeNotes(String prefix) {
        this.prefix = prefix;
    }

    public CodeChallenge load(AuthenticationSessionModel authSession) {
        Map<String, String> notes = new HashMap<>();
        for (String key : CodeChallenge.NOTE_KEYS) {
            notes.put(key, authSession.getAuthNote(prefix + key));
        }
        return CodeChallenge.fromNotes(notes);
    }

    public void save(AuthenticationSessionModel authSession, CodeChallenge challenge) {
        challenge.toNotes().forEach((key, value) -> {
            if (value == null) {
                authSession.removeAuthNote(prefix + key);
            } else {
                authSession.setAuthNote(prefix + key, value);
            }
        });
    }

    /** Forgets the whole challenge, for a registration that is cancelled or starts over with another number. */
    public void clear(AuthenticationSessionModel authSession) {
        CodeChallenge.NOTE_KEYS.forEach(key -> authSession.removeAuthNote(prefix + key));
    }
}
