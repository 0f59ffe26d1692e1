package io.phoneotp.keycloak.admin;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * An administrator's test message or test call with the realm's stored settings, for the admin REST
 * resource and the console's tab alike. Its outcome names the destination only masked.
 */
record TestSend(Channel channel, String maskedTo, String sid, DeliveryException error) {

    /** The message that refuses a destination, starting with the field's name as every validation message does. */
    static final String BAD_DESTINATION = "must be a valid phone number in E.164 format, such as +14155552671";

    /** Sends (or calls) now; {@code to} must be E.164 ({@link PhoneNumbers#isE164}). */
    static TestSend run(KeycloakSession session, RealmModel realm, Channel channel, String to) {
        try {
            PhoneOtpSender sender = PhoneOtpSenders.forChannel(session, realm, channel);
            String sid = channel == Channel.VOICE
                    ? sender.call(to, OtpText.voiceTest(session, realm))
                    : sender.sendSms(to, OtpText.smsTest(session, realm), 600);
            return new TestSend(channel, PhoneNumbers.mask(to), sid, null);
        } catch (DeliveryException e) {
            return new TestSend(channel, PhoneNumbers.mask(to), null, e);
        }
    }

    boolean sent() {
        return error == null;
    }

    /** One line for the console: what happened, to whom (masked), and the provider's id or error code and message. */
    String summary() {
        String what = channel == Channel.VOICE ? "Test call" : "Test message";
        if (sent()) {
            return what + " to " + maskedTo + ": sent, id " + sid;
        }
        return what + " to " + maskedTo + ": failed"
                + (error.providerCode() == null ? "" : ", provider error " + error.providerCode())
                + ": " + error.getMessage();
    }
}
