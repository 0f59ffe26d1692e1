package io.phoneotp.keycloak.delivery;

import java.util.Locale;

/**
 * What a call says, in the listener's language: a greeting naming the realm, the code digit by
 * digit (repeated, so a listener who missed it hears it again), and a goodbye. A test call has
 * no code. The provider turns it into its own markup (TwiML for Twilio).
 */
public record VoiceScript(Locale locale, String greeting, String codeIntro, String code, int repeat, String goodbye) {

    /** "1, 2, 3, 4, 5, 6." : text-to-speech reads each digit, and the commas make short pauses. */
    public String spokenCode() {
        return String.join(", ", code.split("")) + ".";
    }

    public boolean hasCode() {
        return code != null;
    }
}
