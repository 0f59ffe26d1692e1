package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.phone.PhoneNumbers;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a message may come from, by Twilio's rules: a phone number, a short code, an alphanumeric
 * sender ID, or (where a sender per region is set) a messaging service. A call can only come from a
 * phone number.
 */
public enum SenderId {
    /** A number in E.164, such as {@code +16175551212}: the only sender a call can have. */
    PHONE_NUMBER,
    /**
     * 5 or 6 digits, Twilio's short codes (US, Canada, UK). Longer digit strings are refused: they are
     * far more often a phone number typed without + and country code than a short code.
     */
    SHORT_CODE,
    /** 1 to 11 ASCII letters, digits and spaces with at least one letter, such as {@code ACME}. */
    ALPHANUMERIC,
    /** {@code MG} and 32 hexadecimal characters: Twilio picks the sender from the service's pool. */
    MESSAGING_SERVICE;

    private static final Pattern SHORT_CODE_DIGITS = Pattern.compile("[0-9]{5,6}");
    private static final Pattern ALPHANUMERIC_ID = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    private static final Pattern MESSAGING_SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");

    /** What a text message may come from, for the error messages that name a field. */
    static final String TEXT_SENDERS = "a phone number in E.164 format such as +16175551212, a short code of 5 or 6 digits,"
            + " or an alphanumeric sender ID of at most 11 letters, digits and spaces with at least one letter, such as ACME";

    /** The kind of sender {@code value} is; empty when it is none of them. */
    public static Optional<SenderId> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (PhoneNumbers.isE164(value)) {
            return Optional.of(PHONE_NUMBER);
        }
        if (SHORT_CODE_DIGITS.matcher(value).matches()) {
            return Optional.of(SHORT_CODE);
        }
        if (ALPHANUMERIC_ID.matcher(value).matches()) {
            return Optional.of(ALPHANUMERIC);
        }
        if (MESSAGING_SERVICE_SID.matcher(value).matches()) {
            return Optional.of(MESSAGING_SERVICE);
        }
        return Optional.empty();
    }

    public static boolean isMessagingService(String value) {
        return of(value).orElse(null) == MESSAGING_SERVICE;
    }
}
