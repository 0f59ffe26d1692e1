package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.twiml.voice.Say;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.SenderId;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.delivery.VoiceScript;
import io.phoneotp.keycloak.delivery.SenderSettings;

/** Sends through Twilio's Messages API with the SDK's typed calls, over {@link TwilioTransport}. */
final class TwilioSender implements PhoneOtpSender {

    /** Twilio accepts a validity period of 1 to 36000 seconds. */
    private static final int MAX_VALIDITY_SECONDS = 36000;

    private final SenderSettings settings;
    private final TwilioRestClient client;

    TwilioSender(SenderSettings settings, TwilioRestClient client) {
        this.settings = settings;
        this.client = client;
    }

    /** How long Twilio lets the phone ring before giving up. */
    private static final int RING_SECONDS = 30;

    @Override
    public String call(String to, VoiceScript script) throws DeliveryException {
        VoiceScript.Wording words = script.wordingFor(TwilioVoice::speaks);
        Say.Language language = TwilioVoice.language(words.locale()).orElse(Say.Language.EN_US);
        Say.Voice voice = settings.voices() == null ? null
                : TwilioVoice.voiceOf(settings.voices().get(language.toString())).orElse(null);
        String twiml = TwilioVoice.twiml(script, words, language, voice);
        try {
            return Call.creator(new PhoneNumber(to), new PhoneNumber(settings.from()), new Twiml(twiml))
                    .setTimeout(RING_SECONDS)
                    .create(client)
                    .getSid();
        } catch (TwilioException e) {
            throw TwilioErrors.translate(e);
        }
    }

    @Override
    public String sendSms(String to, String text, int validitySeconds) throws DeliveryException {
        String region = PhoneNumbers.facts(to, null).map(PhoneNumbers.Facts::region).orElse(null);
        String sender = settings.smsSenderFor(region);
        // Twilio's From takes a number, a short code or a sender ID alike; a service goes in MessagingServiceSid
        MessageCreator creator = SenderId.isMessagingService(sender)
                ? Message.creator(new PhoneNumber(to), sender, text)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(sender), text);
        // Let Twilio drop a message it could not deliver before the code expires.
        creator.setValidityPeriod(Math.max(1, Math.min(validitySeconds, MAX_VALIDITY_SECONDS)));
        try {
            return creator.create(client).getSid();
        } catch (TwilioException e) {
            throw TwilioErrors.translate(e, settings.smsSenderField(region), region);
        }
    }
}
