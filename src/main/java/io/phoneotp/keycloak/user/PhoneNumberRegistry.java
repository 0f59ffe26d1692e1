package io.phoneotp.keycloak.user;

import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * The one home of a user's phone number: what counts as a verified number, and every write of the
 * {@code phoneNumber} and {@code phoneNumberVerified} attributes (which Keycloak's {@code phone}
 * client scope maps to token claims) and of the {@code phone-otp} credential that mirrors a
 * verified number for the Account Console.
 */
public final class PhoneNumberRegistry {

    /** The session attribute naming the number a user proved in this request (see {@link #saveVerified}). */
    private static final String PROVED_IN_THIS_REQUEST = "phone-otp.proved.";

    /** Whether {@code e164} is the number {@code user} proved in this request. */
    static boolean provedInThisRequest(KeycloakSession session, UserModel user, String e164) {
        return e164 != null && e164.equals(session.getAttribute(PROVED_IN_THIS_REQUEST + user.getId()));
    }

    public static final String PHONE_NUMBER = "phoneNumber";
    public static final String PHONE_NUMBER_VERIFIED = "phoneNumberVerified";
    /**
     * The required action that registers or changes the number. Kept here, below the flow steps and
     * the credential that name it, as Keycloak keeps its own action ids in the model layer.
     */
    public static final String REGISTRATION_ACTION = "phone-number-config";

    private PhoneNumberRegistry() {
    }

    /** The user's number in E.164, verified or not, when the attribute holds a valid number (an administrator may have typed spaces). */
    public static Optional<String> number(UserModel user) {
        return Optional.ofNullable(user.getFirstAttribute(PHONE_NUMBER)).flatMap(n -> PhoneNumbers.toE164(n, null));
    }

    /** The number the user has proved they hold: the only number that identifies them or counts as their second factor. */
    public static Optional<String> verifiedNumber(UserModel user) {
        return "true".equals(user.getFirstAttribute(PHONE_NUMBER_VERIFIED)) ? number(user) : Optional.empty();
    }

    /** An account other than {@code user} (null: any) that has verified {@code e164}, for the policy's {@code uniqueNumbers}. */
    public static Optional<UserModel> otherVerifiedHolder(KeycloakSession session, RealmModel realm, UserModel user, String e164) {
        return session.users().searchForUserByUserAttributeStream(realm, PHONE_NUMBER, e164)
                .filter(other -> user == null || !other.getId().equals(user.getId()))
                .filter(other -> verifiedNumber(other).filter(e164::equals).isPresent())
                .findFirst();
    }

    /** The account that has verified {@code e164}, if any: who signs in with that number. */
    public static Optional<UserModel> verifiedHolder(KeycloakSession session, RealmModel realm, String e164) {
        return otherVerifiedHolder(session, realm, null, e164);
    }

    /**
     * Saves a number the user has just proved they hold. The request remembers it: a profile check
     * that ran earlier in the same request (Keycloak evaluates every required action's triggers
     * before running one) must not take this change for one made by other means.
     */
    public static void saveVerified(KeycloakSession session, UserModel user, String e164) {
        session.setAttribute(PROVED_IN_THIS_REQUEST + user.getId(), e164);
        user.setSingleAttribute(PHONE_NUMBER, e164);
        user.setSingleAttribute(PHONE_NUMBER_VERIFIED, "true");
        PhoneCredential.replace(user, e164);
    }

    /**
     * After a right code at sign-in: the number on the account is proved, unless another account
     * has already verified it (then it stays unverified, and the sign-in still succeeds).
     */
    public static void confirmAtSignIn(KeycloakSession session, RealmModel realm, UserModel user, String e164, boolean uniqueNumbers) {
        if (verifiedNumber(user).isPresent()) {
            if (!PhoneCredential.exists(user)) {
                PhoneCredential.replace(user, e164);
            }
            return;
        }
        if (uniqueNumbers && otherVerifiedHolder(session, realm, user, e164).isPresent()) {
            return;
        }
        saveVerified(session, user, e164);
    }

    /** Writes an administrator's number in its canonical form; proving it is still the user's job. */
    static void normalize(UserModel user, String e164) {
        if (!e164.equals(user.getFirstAttribute(PHONE_NUMBER))) {
            user.setSingleAttribute(PHONE_NUMBER, e164);
        }
    }

    /** The number changed by other means (an administrator): it is no longer proved. */
    static void unverify(UserModel user) {
        user.setSingleAttribute(PHONE_NUMBER_VERIFIED, "false");
        PhoneCredential.remove(user);
    }

    /** A removal that was not proved by a second factor: the verified number keeps its credential. */
    static void keepAfterUnprovenRemoval(UserModel user) {
        verifiedNumber(user).ifPresent(e164 -> PhoneCredential.replace(user, e164));
    }

    /** The one removal path, whoever removes the number (the user, an administrator): nothing of it stays. */
    static void forget(UserModel user) {
        user.removeAttribute(PHONE_NUMBER);
        user.removeAttribute(PHONE_NUMBER_VERIFIED);
        PhoneCredential.remove(user);
    }
}
