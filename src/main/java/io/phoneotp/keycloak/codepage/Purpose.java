package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.link.SignInLink;

/**
 * What a code page's code is for. Each purpose keeps its own challenge in the authentication
 * session (a registration right after an SMS sign-in starts with its own sends and tries) and words
 * its text message and its refusals for its reader.
 */
public enum Purpose {
    /** The flow steps: the code signs the user in. */
    SIGN_IN(SignInLink.SIGN_IN, "phoneOtpSmsText", "phoneOtpNumberNotAllowed", "phoneOtpLinkSmsText", "phoneOtpCodeLinkSmsText"),
    /** The registration action: the code proves a new number; its messages speak of the number just typed. */
    REGISTRATION(SignInLink.REGISTRATION, "phoneOtpRegistrationSmsText", "phoneOtpNumberNotAllowedHere",
            "phoneOtpRegistrationLinkSmsText", "phoneOtpRegistrationCodeLinkSmsText");

    final String id;
    final String smsMessageKey;
    final String numberNotAllowedKey;
    /** The text that carries a link alone, and the one that carries the code and the link. */
    final String linkSmsKey;
    final String codeLinkSmsKey;

    Purpose(String id, String smsMessageKey, String numberNotAllowedKey, String linkSmsKey, String codeLinkSmsKey) {
        this.id = id;
        this.smsMessageKey = smsMessageKey;
        this.numberNotAllowedKey = numberNotAllowedKey;
        this.linkSmsKey = linkSmsKey;
        this.codeLinkSmsKey = codeLinkSmsKey;
    }

    /** A provider's refusal, worded for this page: on the registration page an invalid number is the one just typed. */
    String deliveryMessage(String deliveryMessageKey) {
        return this == REGISTRATION && "phoneOtpDeliveryInvalidNumber".equals(deliveryMessageKey) ? "phoneOtpInvalidNumber" : deliveryMessageKey;
    }
}
