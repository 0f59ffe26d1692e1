package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Say;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryFailure;
import io.phoneotp.keycloak.delivery.VoiceScript;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Twilio's side of a call: the language for a locale, the realm's voice for it, and the TwiML. */
final class TwilioVoice {

    /** Twilio refuses inline TwiML longer than this (error 32018). */
    static final int MAX_TWIML_LENGTH = 4000;

    /** Where a language alone does not name Twilio's variant, the most widely understood one. */
    private static final Map<String, String> DEFAULT_VARIANTS = Map.ofEntries(
            Map.entry("en", "en-US"), Map.entry("de", "de-DE"), Map.entry("fr", "fr-FR"), Map.entry("es", "es-ES"),
            Map.entry("it", "it-IT"), Map.entry("nl", "nl-NL"), Map.entry("pt", "pt-BR"), Map.entry("pl", "pl-PL"),
            Map.entry("sv", "sv-SE"), Map.entry("da", "da-DK"), Map.entry("nb", "nb-NO"), Map.entry("no", "nb-NO"),
            Map.entry("fi", "fi-FI"), Map.entry("ja", "ja-JP"), Map.entry("ko", "ko-KR"), Map.entry("zh", "cmn-CN"),
            Map.entry("ru", "ru-RU"), Map.entry("tr", "tr-TR"), Map.entry("cs", "cs-CZ"), Map.entry("el", "el-GR"));

    private TwilioVoice() {
    }

    /** Twilio's language code for a locale: its exact variant when Twilio has it, else the language's usual one, else en-US. */
    static Say.Language language(Locale locale) {
        return languageOf(locale.getLanguage() + "-" + locale.getCountry())
                .or(() -> languageOf(DEFAULT_VARIANTS.getOrDefault(locale.getLanguage(), "")))
                .orElse(Say.Language.EN_US);
    }

    static Optional<Say.Language> languageOf(String code) {
        return Arrays.stream(Say.Language.values()).filter(l -> l.toString().equalsIgnoreCase(code)).findFirst();
    }

    static Optional<Say.Voice> voiceOf(String name) {
        return Arrays.stream(Say.Voice.values()).filter(v -> v.toString().equals(name)).findFirst();
    }

    /** TwiML that greets, reads the code digit by digit {@code repeat} times with pauses, and says goodbye. */
    static String twiml(VoiceScript script, Say.Language language, Say.Voice voice) throws DeliveryException {
        VoiceResponse.Builder response = new VoiceResponse.Builder()
                .say(say(script.greeting(), language, voice))
                .pause(new Pause.Builder().length(1).build());
        if (script.hasCode()) {
            for (int i = 0; i < script.repeat(); i++) {
                response.say(say(script.codeIntro() + " " + script.spokenCode(), language, voice))
                        .pause(new Pause.Builder().length(2).build());
            }
        } else {
            response.say(say(script.codeIntro(), language, voice));
        }
        response.say(say(script.goodbye(), language, voice));
        try {
            String xml = response.build().toXml();
            if (xml.length() > MAX_TWIML_LENGTH) {
                throw new DeliveryException(DeliveryFailure.NOT_CONFIGURED, "the call script is longer than Twilio accepts; lower voiceRepeat");
            }
            return xml;
        } catch (TwiMLException e) {
            throw new DeliveryException(DeliveryFailure.NOT_CONFIGURED, null, "the call script could not be written", e);
        }
    }

    private static Say say(String text, Say.Language language, Say.Voice voice) {
        Say.Builder say = new Say.Builder(text).language(language);
        return (voice == null ? say : say.voice(voice)).build();
    }
}
