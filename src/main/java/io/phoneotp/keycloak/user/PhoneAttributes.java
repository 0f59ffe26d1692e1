package io.phoneotp.keycloak.user;

import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.keycloak.models.UserModel;

import java.util.Optional;

/** The user attributes that Keycloak's built-in {@code phone} client scope maps to token claims. */
public final class PhoneAttributes {

    public static final String PHONE_NUMBER = "phoneNumber";
    public static final String PHONE_NUMBER_VERIFIED = "phoneNumberVerified";

    private PhoneAttributes() {
    }

    /** The user's number in E.164, when the attribute holds a valid number (an administrator may have typed spaces). */
    public static Optional<String> phoneNumber(UserModel user) {
        return Optional.ofNullable(user.getFirstAttribute(PHONE_NUMBER)).flatMap(n -> PhoneNumbers.toE164(n, null));
    }

    public static boolean isVerified(UserModel user) {
        return "true".equals(user.getFirstAttribute(PHONE_NUMBER_VERIFIED));
    }
}
