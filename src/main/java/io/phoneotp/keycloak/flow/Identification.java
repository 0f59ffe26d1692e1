package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.codepage.AuthNotes;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Whether this sign-in has so far only been told who the user claims to be, without proof: after
 * the identify step, or in Keycloak's forgot-password flow. Then the phone steps answer alike for
 * every identifier (with an account or not, with a verified number or not), so that nobody can
 * learn from them which accounts exist.
 */
final class Identification {

    static final String REAL_ACCOUNT = "account";

    private Identification() {
    }

    static boolean unproven(AuthenticationSessionModel authSession) {
        return authSession != null && (authSession.getAuthNote(AuthNotes.IDENTIFY_RESULT) != null
                || LoginActionsService.RESET_CREDENTIALS_PATH.equals(authSession.getAuthNote(AuthenticationProcessor.CURRENT_FLOW_PATH)));
    }

    /**
     * What the limits count for an identifier without an account: what was typed, normalized (the
     * identify step's E.164 for a phone number), never a masked form that different numbers share.
     */
    static String limitKey(AuthenticationSessionModel authSession) {
        String key = authSession.getAuthNote(AuthNotes.IDENTIFY_KEY);
        if (key != null) {
            return key;
        }
        String attempted = authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME); // forgot-password
        return keyOf(attempted == null ? "" : attempted, null);
    }

    /** The limits' key of an identifier: the number in E.164 when it is one, else the text in lower case. */
    static String keyOf(String typed, String e164) {
        return e164 != null ? e164 : "id:" + typed.trim().toLowerCase();
    }

    /** Why no code goes out when the flow has no user: recorded by the identify step, else (forgot-password) no account. */
    static NoCodeReason recordedReason(AuthenticationSessionModel authSession) {
        return NoCodeReason.fromId(authSession.getAuthNote(AuthNotes.IDENTIFY_RESULT)).orElse(NoCodeReason.UNKNOWN_USER);
    }
}
