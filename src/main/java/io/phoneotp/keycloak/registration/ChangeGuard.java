package io.phoneotp.keycloak.registration;

import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import io.phoneotp.keycloak.user.SecondFactorProof;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.common.util.Time;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;

/**
 * Protects an existing number against takeover: it may be replaced only after a recent sign-in,
 * and, when the user has a second factor, only in a sign-in that passed one, so that one stolen
 * factor (say the password) cannot be used to replace another (the phone).
 */
final class ChangeGuard {

    /** Why a change is refused; each names the message that tells the user what to do. */
    enum Refusal {
        STALE_SIGN_IN("phoneOtpSignInAgainToChange"), SECOND_FACTOR_NEEDED("phoneOtpSecondFactorToChange");

        final String messageKey;

        Refusal(String messageKey) {
            this.messageKey = messageKey;
        }
    }

    private ChangeGuard() {
    }

    static Optional<Refusal> refusal(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (PhoneNumberRegistry.number(user).isEmpty()) {
            return Optional.empty(); // a first number is a setup, not a change
        }
        if (staleSignIn(context)) {
            return Optional.of(Refusal.STALE_SIGN_IN);
        }
        if (!SecondFactorProof.satisfied(context.getSession(), context.getRealm(), user,
                context.getAuthenticationSession().getUserSessionNotes().get(Constants.AUTHENTICATORS_COMPLETED), context.getConfig())) {
            return Optional.of(Refusal.SECOND_FACTOR_NEEDED);
        }
        return Optional.empty();
    }

    /**
     * A sign-in in this very flow is fresh. One carried over from an earlier session (SSO cookie)
     * is fresh only within {@code max_auth_age}; Keycloak itself asks for a new sign-in when an
     * application starts the action on an older session, and this covers the other ways in.
     */
    private static boolean staleSignIn(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (!AuthenticatorUtil.isSSOAuthentication(authSession)) {
            return false;
        }
        UserSessionModel userSession = context.getSession().sessions().getUserSession(context.getRealm(),
                authSession.getParentSession().getId());
        String authTime = userSession == null ? null : userSession.getNote(AuthenticationManager.AUTH_TIME);
        if (authTime == null) {
            return true;
        }
        return Integer.parseInt(authTime) + SecondFactorProof.maxAuthAge(context.getConfig()) < Time.currentTime();
    }
}
