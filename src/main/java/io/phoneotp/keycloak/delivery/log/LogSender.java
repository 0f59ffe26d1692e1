package io.phoneotp.keycloak.delivery.log;

import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.VoiceScript;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * Writes messages to the server log. The one place where a code is logged, on purpose: it is the
 * demo's delivery, chosen explicitly per realm, and never a fallback for a failing provider.
 */
public class LogSender implements PhoneOtpSender {

    private static final Logger LOG = Logger.getLogger(LogSender.class);

    private final String realm;

    LogSender(String realm) {
        this.realm = realm;
    }

    @Override
    public String sendSms(String to, String text, int validitySeconds) {
        String id = "LOG" + UUID.randomUUID().toString().replace("-", "");
        LOG.warnf("[DEVELOPMENT ONLY: phone-otp 'log' delivery, do not use in production] realm=%s SMS to %s (%s):%n%s",
                realm, PhoneNumbers.mask(to), id, text);
        return id;
    }

    @Override
    public String call(String to, VoiceScript script) {
        String id = "LOG" + UUID.randomUUID().toString().replace("-", "");
        VoiceScript.Wording words = script.preferred(); // the log speaks every language
        String spoken = script.hasCode() ? words.codeIntro() + " " + script.spokenCode() + " (x" + script.repeat() + ")" : words.codeIntro();
        LOG.warnf("[DEVELOPMENT ONLY: phone-otp 'log' delivery, do not use in production] realm=%s call to %s (%s), %s:%n%s %s %s",
                realm, PhoneNumbers.mask(to), id, words.locale().toLanguageTag(), words.greeting(), spoken, words.goodbye());
        return id;
    }
}
