package io.phoneotp.keycloak.limits;

import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserLoginFailureProvider;
import org.keycloak.models.UserModel;

/**
 * NIST SP 800-63B's ceiling for realms that have Keycloak's brute-force detection off: after 100
 * consecutive wrong codes, across all sign-ins, the account accepts no code until a correct
 * sign-in or an administrator's reset. The count lives in Keycloak's cluster-wide login-failure
 * store, so the standard reset ({@code DELETE .../attack-detection/brute-force/users/{id}}) clears
 * it. With brute-force detection on, Keycloak's own lockout applies instead.
 */
public final class GuessCeiling {

    public static final int MAX_CONSECUTIVE_FAILURES = 100;

    private GuessCeiling() {
    }

    public static boolean applies(RealmModel realm) {
        return !realm.isBruteForceProtected();
    }

    public static boolean reached(UserLoginFailureProvider failures, RealmModel realm, UserModel user) {
        UserLoginFailureModel record = failures.getUserLoginFailure(realm, user.getId());
        return applies(realm) && record != null && record.getNumFailures() >= MAX_CONSECUTIVE_FAILURES;
    }

    public static void countFailure(UserLoginFailureProvider failures, RealmModel realm, UserModel user) {
        UserLoginFailureModel record = failures.getUserLoginFailure(realm, user.getId());
        if (record == null) {
            record = failures.addUserLoginFailure(realm, user.getId());
        }
        record.incrementFailures();
        record.setLastFailure(Time.currentTimeMillis());
    }

    public static void clear(UserLoginFailureProvider failures, RealmModel realm, UserModel user) {
        if (applies(realm) && failures.getUserLoginFailure(realm, user.getId()) != null) {
            failures.removeUserLoginFailure(realm, user.getId());
        }
    }
}
