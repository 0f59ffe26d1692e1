package io.phoneotp.keycloak.user;

import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

/**
 * The {@code phone-otp} credential: a marker that lets the Account Console list the verified number
 * (masked, as the label) under two-factor authentication. The number itself lives in the
 * {@code phoneNumber} attribute, where tokens and the flow steps read it; the credential holds no secret.
 */
public final class PhoneCredential {

    public static final String TYPE = "phone-otp";

    private PhoneCredential() {
    }

    /** Replaces any phone credential of the user with one for {@code e164}. */
    static void replace(UserModel user, String e164) {
        remove(user);
        CredentialModel credential = new CredentialModel();
        credential.setType(TYPE);
        credential.setUserLabel(PhoneNumbers.mask(e164));
        credential.setCreatedDate(Time.currentTimeMillis());
        credential.setCredentialData("{}");
        credential.setSecretData("{}");
        user.credentialManager().createStoredCredential(credential);
    }

    static boolean exists(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(TYPE).findAny().isPresent();
    }

    static void remove(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(TYPE).map(CredentialModel::getId).toList()
                .forEach(id -> user.credentialManager().removeStoredCredentialById(id));
    }
}
