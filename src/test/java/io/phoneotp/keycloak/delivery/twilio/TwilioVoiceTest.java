package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.twiml.voice.Say;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.VoiceScript;
import org.junit.jupiter.api.Test;

import io.phoneotp.keycloak.theme.Bundles;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwilioVoiceTest {

    @Test
    void mapsLocalesToTwiliosLanguages() {
        assertEquals(Optional.of(Say.Language.EN_US), TwilioVoice.language(Locale.ENGLISH));
        assertEquals(Optional.of(Say.Language.EN_GB), TwilioVoice.language(Locale.UK));
        assertEquals(Optional.of(Say.Language.DE_DE), TwilioVoice.language(Locale.GERMAN));
        assertEquals(Optional.of(Say.Language.DE_AT), TwilioVoice.language(Locale.forLanguageTag("de-AT")));
        assertEquals(Optional.of(Say.Language.PT_PT), TwilioVoice.language(Locale.forLanguageTag("pt")));
        assertEquals(Optional.of(Say.Language.PT_BR), TwilioVoice.language(Locale.forLanguageTag("pt-BR")));
        assertEquals(Optional.of(Say.Language.CMN_CN), TwilioVoice.language(Locale.forLanguageTag("zh-CN")));
        assertEquals(Optional.of(Say.Language.CMN_TW), TwilioVoice.language(Locale.forLanguageTag("zh-Hant")));
        assertEquals(Optional.of(Say.Language.NB_NO), TwilioVoice.language(Locale.forLanguageTag("no")));
        assertEquals(Optional.of(Say.Language.AR_XA), TwilioVoice.language(Locale.forLanguageTag("ar")));
        assertEquals(Optional.empty(), TwilioVoice.language(Locale.forLanguageTag("fa")), "Twilio speaks no Persian");
        assertEquals(Optional.empty(), TwilioVoice.language(Locale.forLanguageTag("tlh")));
    }

    /** Each of Keycloak's login languages: Twilio's language for it, or none (README, "Calls in every language"). */
    @Test
    void everyKeycloakLanguageIsSpokenOrListedAsUnspoken() {
        Set<String> unspoken = new TreeSet<>();
        for (String suffix : Bundles.keycloaksLanguages()) {
            if (!TwilioVoice.speaks(Bundles.locale(suffix))) {
                unspoken.add(suffix);
            }
        }
        assertEquals(new TreeSet<>(List.of("az", "eu", "fa", "hr", "hy", "ka", "kk", "ky", "lt", "sl")), unspoken);
    }

    @Test
    void aCallInALanguageTwilioDoesNotSpeakUsesTheNextWording() {
        VoiceScript script = new VoiceScript(List.of(
                new VoiceScript.Wording(Locale.forLanguageTag("fa"), "سلام", "کد شما:", "خداحافظ"),
                new VoiceScript.Wording(Locale.GERMAN, "Hallo.", "Ihr Code lautet:", "Auf Wiederhören."),
                new VoiceScript.Wording(Locale.ENGLISH, "Hello.", "Your code is:", "Goodbye.")), "123456", 2);
        assertEquals(Locale.GERMAN, script.wordingFor(TwilioVoice::speaks).locale());
        VoiceScript persianOnly = new VoiceScript(new VoiceScript.Wording(Locale.forLanguageTag("fa"), "سلام", "کد شما:", "خداحافظ"), "1", 1);
        assertEquals("fa", persianOnly.wordingFor(l -> false).locale().getLanguage(), "never silence: the last wording");
    }

    @Test
    void readsTheCodeDigitByDigitAsOftenAsAskedAndStaysUnderTwiliosLimit() throws DeliveryException {
        VoiceScript.Wording words = new VoiceScript.Wording(Locale.GERMAN, "Hallo, hier ist Test.", "Ihr Code lautet:", "Auf Wiederhören.");
        VoiceScript script = new VoiceScript(words, "0123456789", 5);

        String twiml = TwilioVoice.twiml(script, words, Say.Language.DE_DE, Say.Voice.POLLY_VICKI_NEURAL);

        assertEquals(5, twiml.split("Ihr Code lautet: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\\.", -1).length - 1, twiml);
        assertTrue(twiml.contains("language=\"de-DE\"") && twiml.contains("voice=\"Polly.Vicki-Neural\""), twiml);
        assertTrue(twiml.length() < TwilioVoice.MAX_TWIML_LENGTH, "longest code, most repeats: " + twiml.length());
    }
}
