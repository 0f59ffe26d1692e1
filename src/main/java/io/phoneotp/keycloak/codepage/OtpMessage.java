package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.OtpText;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.VoiceScript;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** A code as the phone receives it: a text (with its validity) or a call's script, composed in the user's language. */
record OtpMessage(Channel channel, String text, int validitySeconds, VoiceScript script) {

    static OtpMessage compose(KeycloakSession session, RealmModel realm, UserModel user, Channel via, String code,
                              CodeSettings settings, Purpose purpose) {
        return compose(session, realm, user, via, code, null, settings, purpose);
    }

    /** @param link the sign-in link the text carries (alone, or with the code when {@code code} is not null); null for a code only */
    static OtpMessage compose(KeycloakSession session, RealmModel realm, UserModel user, Channel via, String code, String link,
                              CodeSettings settings, Purpose purpose) {
        if (link != null && via == Channel.SMS) {
            String text = code == null ? OtpText.smsLink(session, realm, user, purpose.linkSmsKey, link)
                    : OtpText.smsLink(session, realm, user, purpose.codeLinkSmsKey, code, link);
            return new OtpMessage(Channel.SMS, text, settings.codeTtlSeconds(), null);
        }
        if (via == Channel.VOICE) {
            return new OtpMessage(Channel.VOICE, null, 0, OtpText.voice(session, realm, user, code, settings.voiceRepeat()));
        }
        return new OtpMessage(Channel.SMS, OtpText.sms(session, realm, user, purpose.smsMessageKey, code, settings.codeTtlSeconds()),
                settings.codeTtlSeconds(), null);
    }

    /** @return the provider's message or call id */
    String sendWith(PhoneOtpSender sender, String phone) throws DeliveryException {
        return channel == Channel.VOICE ? sender.call(phone, script) : sender.sendSms(phone, text, validitySeconds);
    }
}
