package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.limits.GuessCeiling;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.RealmModel;

import java.util.Optional;
import java.util.Set;

/**
 * Wrong codes across sign-ins: with the realm's brute-force detection on, each counts as a failed
 * OTP (Keycloak counts only its own categories, so ours is reported as {@code otp}); with it off,
 * toward the guessing ceiling. A locked user gets no code.
 */
final class Lockout {

    private static final Set<String> BRUTE_FORCE_CATEGORY = Set.of("otp");

    /** Why the user is locked: the event's error and the page's message. */
    record Refusal(String eventError, String messageKey) {
    }

    private Lockout() {
    }

    static Optional<Refusal> of(AuthenticationFlowContext context) {
        if (GuessCeiling.reached(context.getSession().loginFailures(), context.getRealm(), context.getUser())) {
            return Optional.of(new Refusal(null, "phoneOtpAccountLocked"));
        }
        String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
        if (error == null) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(error, Errors.USER_TEMPORARILY_DISABLED.equals(error) ? "phoneOtpAccountTemporarilyLocked" : "phoneOtpAccountLocked"));
    }

    static void countWrongCode(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        if (realm.isBruteForceProtected()) {
            context.getProtector().failedLogin(realm, context.getUser(), context.getConnection(),
                    context.getSession().getContext().getUri(), BRUTE_FORCE_CATEGORY);
        } else {
            GuessCeiling.countFailure(context.getSession().loginFailures(), realm, context.getUser());
        }
    }

    static void clear(AuthenticationFlowContext context) {
        GuessCeiling.clear(context.getSession().loginFailures(), context.getRealm(), context.getUser());
    }
}
