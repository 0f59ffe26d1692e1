package io.phoneotp.keycloak.flow;

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

    /** Set by the identify step; its value is the reason when no account will get a code, for the events. */
    static final String NOTE = "phone-otp.identify";
    static final String REAL_ACCOUNT = "account";
    /** The number the user typed to identify themselves, in E.164 (a step may use it with {@code phoneNumberNote}). */
    static final String NUMBER_NOTE = "phone-otp.identify.number";

    private Identification() {
    }

    static boolean unproven(AuthenticationSessionModel authSession) {
        return authSession != null && (authSession.getAuthNote(NOTE) != null
                || LoginActionsService.RESET_CREDENTIALS_PATH.equals(authSession.getAuthNote(AuthenticationProcessor.CURRENT_FLOW_PATH)));
    }

    /** What was typed to identify the account: the key for the limits of an identifier without an account. */
    static String attempted(AuthenticationSessionModel authSession) {
        String attempted = authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        return attempted == null ? "" : attempted.trim().toLowerCase();
    }

    /** Why no code goes out for this identifier: recorded by the identify step, else (forgot-password) no account. */
    static String ghostReason(AuthenticationSessionModel authSession) {
        String reason = authSession.getAuthNote(NOTE);
        return reason == null || REAL_ACCOUNT.equals(reason) ? "unknown_user" : reason;
    }
}
