package io.phoneotp.keycloak.codepage;

/**
 * What a code page's code is for. Each purpose keeps its own challenge in the authentication
 * session (a registration right after an SMS sign-in starts with its own sends and tries) and words
 * its text message and its refusals for its reader.
 */
public enum Purpose {
    /** The flow steps: the code signs the user in. */
    SIGN_IN("sign-in", "phoneOtpSmsText", "phoneOtpNumberNotAllowed"),
    /** The registration action: the code proves a new number; its messages speak of the number just typed. */
    REGISTRATION("registration", "phoneOtpRegistrationSmsText", "phoneOtpNumberNotAllowedHere");

    final String id;
    final String smsMessageKey;
    final String numberNotAllowedKey;

    Purpose(String id, String smsMessageKey, String numberNotAllowedKey) {
        this.id = id;
        this.smsMessageKey = smsMessageKey;
        this.numberNotAllowedKey = numberNotAllowedKey;
    }

    /** A provider's refusal, worded for this page: on the registration page an invalid number is the one just typed. */
    String deliveryMessage(String deliveryMessageKey) {
        return this == REGISTRATION && "phoneOtpDeliveryInvalidNumber".equals(deliveryMessageKey) ? "phoneOtpInvalidNumber" : deliveryMessageKey;
    }
}
