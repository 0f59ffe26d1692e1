package io.phoneotp.keycloak.delivery;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What a call says: a greeting naming the realm, the code digit by digit (repeated, so a listener
 * who missed it hears it again), and a goodbye. A test call has no code. It comes worded in the
 * listener's language and then in the fallbacks (the realm's default language, English), because
 * only the provider knows which languages its text-to-speech speaks; it takes the first it can.
 */
public record VoiceScript(List<Wording> wordings, String code, int repeat) {

    /** The script's words in one language. */
    public record Wording(Locale locale, String greeting, String codeIntro, String goodbye) {
    }

    public VoiceScript {
        if (wordings.isEmpty()) {
            throw new IllegalArgumentException("a call needs words");
        }
        wordings = List.copyOf(wordings);
    }

    public VoiceScript(Wording wording, String code, int repeat) {
        this(List.of(wording), code, repeat);
    }

    /** The first wording in a language that {@code speaks} accepts, else the last one (English): never silence. */
    public Wording wordingFor(Predicate<Locale> speaks) {
        return wordings.stream().filter(w -> speaks.test(w.locale())).findFirst().orElse(wordings.get(wordings.size() - 1));
    }

    /** The wording in the listener's own language. */
    public Wording preferred() {
        return wordings.get(0);
    }

    /** "1, 2, 3, 4, 5, 6." : text-to-speech reads each digit, and the commas make short pauses. */
    public String spokenCode() {
        return String.join(", ", code.split("")) + ".";
    }

    public boolean hasCode() {
        return code != null;
    }
}
