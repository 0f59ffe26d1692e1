package io.phoneotp.keycloak.user;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * Where a user's number is written, in one place: the {@code phoneNumber} and
 * {@code phoneNumberVerified} attributes, and the {@code phone-otp} credential that mirrors a
 * verified number for the Account Console.
 */
public final class PhoneNumberRegistry {

    private PhoneNumberRegistry() {
    }

    /** An account other than {@code user} (null: any) that has verified {@code e164}, for the policy's {@code uniqueNumbers}. */
    public static Optional<UserModel> otherVerifiedHolder(KeycloakSession session, RealmModel realm, UserModel user, String e164) {
        return session.users().searchForUserByUserAttributeStream(realm, PhoneAttributes.PHONE_NUMBER, e164)
                .filter(other -> user == null || !other.getId().equals(user.getId()))
                .filter(PhoneAttributes::isVerified)
                .findFirst();
    }

    /** The account that has verified {@code e164}, if any: who signs in with that number. */
    public static Optional<UserModel> verifiedHolder(KeycloakSession session, RealmModel realm, String e164) {
        return otherVerifiedHolder(session, realm, null, e164);
    }

    /** Saves a number the user has just proved they hold. */
    public static void saveVerified(UserModel user, String e164) {
        user.setSingleAttribute(PhoneAttributes.PHONE_NUMBER, e164);
        user.setSingleAttribute(PhoneAttributes.PHONE_NUMBER_VERIFIED, "true");
        PhoneCredential.replace(user, e164);
    }

    /**
     * After a right code at sign-in: the number on the account is proved, unless another account
     * has already verified it (then it stays unverified, and the sign-in still succeeds).
     */
    public static void confirmAtSignIn(KeycloakSession session, RealmModel realm, UserModel user, String e164, boolean uniqueNumbers) {
        if (PhoneAttributes.isVerified(user)) {
            if (!PhoneCredential.exists(user)) {
                PhoneCredential.replace(user, e164);
            }
            return;
        }
        if (uniqueNumbers && otherVerifiedHolder(session, realm, user, e164).isPresent()) {
            return;
        }
        saveVerified(user, e164);
    }

    /** The number changed by other means (an administrator): it is no longer proved. */
    static void unverify(UserModel user) {
        user.setSingleAttribute(PhoneAttributes.PHONE_NUMBER_VERIFIED, "false");
        PhoneCredential.remove(user);
    }

    /** The user removed their number: nothing of it stays. */
    static void forget(UserModel user) {
        user.removeAttribute(PhoneAttributes.PHONE_NUMBER);
        user.removeAttribute(PhoneAttributes.PHONE_NUMBER_VERIFIED);
        PhoneCredential.remove(user);
    }
}
