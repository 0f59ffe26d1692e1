package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Say;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.DeliveryFailure;
import io.phoneotp.keycloak.delivery.VoiceScript;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Twilio's side of a call: the language for a locale, the realm's voice for it, and the TwiML. */
final class TwilioVoice {

    /** Twilio refuses inline TwiML longer than this (error 32018). */
    static final int MAX_TWIML_LENGTH = 4000;

    /**
     * Twilio's language for each of Keycloak's login languages that Twilio's {@code Say} speaks
     * (the Say languages of twilio-java 13.0.1); where a locale's own variant is not listed, the
     * language's usual one. Keycloak's Azerbaijani, Basque, Persian, Croatian, Armenian, Georgian,
     * Kazakh, Kyrgyz, Lithuanian and Slovenian have none: those calls use a fallback wording.
     */
    private static final Map<String, String> USUAL_VARIANTS = Map.ofEntries(
            Map.entry("ar", "ar-XA"), Map.entry("ca", "ca-ES"), Map.entry("cs", "cs-CZ"), Map.entry("da", "da-DK"),
            Map.entry("de", "de-DE"), Map.entry("el", "el-GR"), Map.entry("en", "en-US"), Map.entry("es", "es-ES"),
            Map.entry("fi", "fi-FI"), Map.entry("fr", "fr-FR"), Map.entry("hu", "hu-HU"), Map.entry("id", "id-ID"),
            Map.entry("it", "it-IT"), Map.entry("ja", "ja-JP"), Map.entry("ko", "ko-KR"), Map.entry("lv", "lv-LV"),
            Map.entry("nb", "nb-NO"), Map.entry("no", "nb-NO"), Map.entry("nl", "nl-NL"), Map.entry("pl", "pl-PL"),
            Map.entry("pt", "pt-PT"), Map.entry("ro", "ro-RO"), Map.entry("ru", "ru-RU"), Map.entry("sk", "sk-SK"),
            Map.entry("sv", "sv-SE"), Map.entry("th", "th-TH"), Map.entry("tr", "tr-TR"), Map.entry("uk", "uk-UA"),
            Map.entry("vi", "vi-VN"), Map.entry("zh", "cmn-CN"), Map.entry("zh-CN", "cmn-CN"), Map.entry("zh-Hans", "cmn-CN"),
            Map.entry("zh-TW", "cmn-TW"), Map.entry("zh-Hant", "cmn-TW"), Map.entry("zh-HK", "yue-HK"));

    private TwilioVoice() {
    }

    /** Twilio's language for a locale: the variant it names when Twilio has it, else the language's usual one; empty when Twilio speaks neither. */
    static Optional<Say.Language> language(Locale locale) {
        String language = locale.getLanguage();
        for (String variant : List.of(language + "-" + locale.getScript(), language + "-" + locale.getCountry())) {
            if (USUAL_VARIANTS.containsKey(variant)) {
                return languageOf(USUAL_VARIANTS.get(variant));
            }
        }
        Optional<Say.Language> own = locale.getCountry().isEmpty() ? Optional.empty() : languageOf(language + "-" + locale.getCountry());
        return own.or(() -> languageOf(USUAL_VARIANTS.getOrDefault(language, "")));
    }

    static boolean speaks(Locale locale) {
        return language(locale).isPresent();
    }

    static Optional<Say.Language> languageOf(String code) {
        return Arrays.stream(Say.Language.values()).filter(l -> l.toString().equalsIgnoreCase(code)).findFirst();
    }

    static Optional<Say.Voice> voiceOf(String name) {
        return Arrays.stream(Say.Voice.values()).filter(v -> v.toString().equals(name)).findFirst();
    }

    /** TwiML that greets, reads the code digit by digit {@code repeat} times with pauses, and says goodbye. */
    static String twiml(VoiceScript script, VoiceScript.Wording words, Say.Language language, Say.Voice voice) throws DeliveryException {
        VoiceResponse.Builder response = new VoiceResponse.Builder()
                .say(say(words.greeting(), language, voice))
                .pause(new Pause.Builder().length(1).build());
        if (script.hasCode()) {
            for (int i = 0; i < script.repeat(); i++) {
                response.say(say(words.codeIntro() + " " + script.spokenCode(), language, voice))
                        .pause(new Pause.Builder().length(2).build());
            }
        } else {
            response.say(say(words.codeIntro(), language, voice));
        }
        response.say(say(words.goodbye(), language, voice));
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
