package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.twiml.voice.Say;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.VoiceScript;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwilioVoiceTest {

    @Test
    void mapsLocalesToTwiliosLanguages() {
        assertEquals(Say.Language.EN_US, TwilioVoice.language(Locale.ENGLISH));
        assertEquals(Say.Language.EN_GB, TwilioVoice.language(Locale.UK));
        assertEquals(Say.Language.DE_DE, TwilioVoice.language(Locale.GERMAN));
        assertEquals(Say.Language.DE_AT, TwilioVoice.language(Locale.forLanguageTag("de-AT")));
        assertEquals(Say.Language.PT_BR, TwilioVoice.language(Locale.forLanguageTag("pt")));
        assertEquals(Say.Language.EN_US, TwilioVoice.language(Locale.forLanguageTag("tlh")), "unknown: English");
    }

    @Test
    void readsTheCodeDigitByDigitAsOftenAsAskedAndStaysUnderTwiliosLimit() throws DeliveryException {
        VoiceScript script = new VoiceScript(Locale.GERMAN, "Hallo, hier ist Test.", "Ihr Code lautet:", "0123456789", 5, "Auf Wiederhören.");

        String twiml = TwilioVoice.twiml(script, Say.Language.DE_DE, Say.Voice.POLLY_VICKI_NEURAL);

        assertEquals(5, twiml.split("Ihr Code lautet: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\\.", -1).length - 1, twiml);
        assertTrue(twiml.contains("language=\"de-DE\"") && twiml.contains("voice=\"Polly.Vicki-Neural\""), twiml);
        assertTrue(twiml.length() < TwilioVoice.MAX_TWIML_LENGTH, "longest code, most repeats: " + twiml.length());
    }
}
