package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.phone.PhoneNumbers;

import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a provider setting before it is stored, by REST or by realm import. */
public final class SenderSettingsValidator {

    public static final String TWILIO = "twilio";
    public static final String LOG = "log";

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern MESSAGING_SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
    /**
     * A token goes into an HTTP header and a database column: visible ASCII only (no spaces, control
     * characters, NUL or other scripts) and of a sane length. A vault reference has the same form.
     */
    private static final Pattern AUTH_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,256}");

    private SenderSettingsValidator() {
    }

    /** @return a message naming the offending field, or empty when the settings are usable */
    public static Optional<String> problem(Channel channel, SenderSettings s) {
        if (s.type() == null) {
            return Optional.of("type is required: twilio or log");
        }
        if (s.from() != null && !PhoneNumbers.isE164(s.from())) {
            return Optional.of("from must be a valid phone number in E.164 format, such as +16175551212");
        }
        if (s.messagingServiceSid() != null && channel != Channel.SMS) {
            return Optional.of("messagingServiceSid is only for the sms channel; a call needs from");
        }
        if (s.voices() != null && channel != Channel.VOICE) {
            return Optional.of("voices is only for the voice channel");
        }
        switch (s.type()) {
            case LOG:
                return Optional.empty();
            case TWILIO:
                if (s.accountSid() == null || !ACCOUNT_SID.matcher(s.accountSid()).matches()) {
                    return Optional.of("accountSid must be a Twilio account SID: AC followed by 32 hexadecimal characters");
                }
                if (s.authToken() == null || SenderSettings.MASKED_SECRET.equals(s.authToken())) {
                    return Optional.of("authToken is required (a vault reference such as ${vault.twilio-token} is recommended)");
                }
                if (!AUTH_TOKEN.matcher(s.authToken()).matches()) {
                    return Optional.of("authToken must be the token as Twilio shows it (at most 256 letters, digits and signs,"
                            + " no spaces or control characters) or a vault reference such as ${vault.twilio-token}");
                }
                if (s.messagingServiceSid() != null && !MESSAGING_SERVICE_SID.matcher(s.messagingServiceSid()).matches()) {
                    return Optional.of("messagingServiceSid must be MG followed by 32 hexadecimal characters");
                }
                if (s.from() == null && s.messagingServiceSid() == null) {
                    return Optional.of(channel == Channel.SMS ? "from or messagingServiceSid is required" : "from is required");
                }
                if (s.from() != null && s.messagingServiceSid() != null) {
                    return Optional.of("from and messagingServiceSid exclude each other: set one of them");
                }
                return Optional.empty();
            default:
                return Optional.of("type must be twilio or log");
        }
    }
}
