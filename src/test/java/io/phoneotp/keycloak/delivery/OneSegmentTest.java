package io.phoneotp.keycloak.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneSegmentTest {

    @Test
    void countsGsm7ExtensionCharactersTwiceAndUcs2InUtf16Units() {
        assertEquals(new SmsLength(SmsLength.Encoding.GSM7, 5), SmsLength.of("Hello"));
        assertEquals(new SmsLength(SmsLength.Encoding.GSM7, 5), SmsLength.of("€[x"), "€ and [ are extension characters");
        assertEquals(new SmsLength(SmsLength.Encoding.UCS2, 5), SmsLength.of("Cześć"));
        assertEquals(new SmsLength(SmsLength.Encoding.UCS2, 2), SmsLength.of("\uD83D\uDE00"), "an emoji is two units");
        assertEquals(1, SmsLength.of("a".repeat(160)).segments());
        assertEquals(2, SmsLength.of("a".repeat(161)).segments());
        assertEquals(1, SmsLength.of("€".repeat(80)).segments());
        assertEquals(2, SmsLength.of("€".repeat(81)).segments());
        assertEquals(1, SmsLength.of("ł".repeat(70)).segments());
        assertEquals(2, SmsLength.of("ł".repeat(71)).segments());
        assertEquals(3, SmsLength.of("ł".repeat(135)).segments(), "67 per part once split");
    }

    @Test
    void shortensTheRealmNameFirstWithAnEllipsisInTheTextsOwnAlphabet() {
        List<Function<String, String>> wordings = List.of(n -> n + ": your code is 123456. " + "x".repeat(89));
        String text = OneSegment.fit(wordings, "A realm with a rather long display name indeed", "\n\n@login.test #123456");
        assertEquals("A realm with a rather lo...: your code is 123456. " + "x".repeat(89) + "\n\n@login.test #123456", text);
        assertEquals(160, text.length(), "the longest name that fits");
    }

    @Test
    void dropsToTheTerserWordingBeforeTheNameGetsShorterThanEightCharacters() {
        Map<String, String> patterns = Map.of("k", "{0}: your code is {1}. " + "x".repeat(120), "kShort", "{0}: code {1}");
        String text = OneSegment.message(patterns::get, Locale.ENGLISH, "k", "Northwind Health", "\n\n@login.test #123456", "123456");
        assertEquals("Northwind Health: code 123456\n\n@login.test #123456", text);
    }

    @Test
    void aUcs2TextGetsTheOneCharacterEllipsis() {
        Map<String, String> patterns = Map.of("k", "{0}: код {1}", "kShort", "{0}: {1}");
        String text = OneSegment.message(patterns::get, Locale.forLanguageTag("ru"), "k", "Очень длинное название области для входа",
                "\n\n@accounts.northwind-health.test #12345678", "12345678");
        assertTrue(OneSegment.fits(text), text);
        assertTrue(text.contains("\u2026: код 12345678"), text);
    }
}
