package io.phoneotp.keycloak.challenge;

import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.HashMap;
import java.util.Map;

/** Keeps a {@link CodeChallenge} in the authentication session's notes, which Keycloak replicates across the cluster. */
public final class ChallengeNotes {

    private ChallengeNotes() {
    }

    public static CodeChallenge load(AuthenticationSessionModel authSession) {
        Map<String, String> notes = new HashMap<>();
        for (String key : CodeChallenge.NOTE_KEYS) {
            notes.put(key, authSession.getAuthNote(key));
        }
        return CodeChallenge.fromNotes(notes);
    }

    public static void save(AuthenticationSessionModel authSession, CodeChallenge challenge) {
        challenge.toNotes().forEach((key, value) -> {
            if (value == null) {
                authSession.removeAuthNote(key);
            } else {
                authSession.setAuthNote(key, value);
            }
        });
    }
}
