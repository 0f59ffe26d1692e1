package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.nio.file.Files;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An administrator's own texts reach the phone as they reach the pages: Realm settings ->
 * Localization -> Realm overrides, and a custom login theme's messages, per language. A text the
 * administrator broke is replaced by the extension's own, with a WARN in the log, never a failed send.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class AdministratorTextsTest extends PhoneOtpTestBase {

    static final String ALICE = "+14155552671";
    static final String HANS = "+4915112345678";

    @AfterEach
    void keycloaksOwnTheme() {
        var texts = realm.admin().localization();
        for (String language : texts.getRealmSpecificLocales()) {
            texts.deleteRealmLocalizationTexts(language);
        }
        var rep = realm.admin().toRepresentation();
        rep.setLoginTheme(null);
        realm.admin().update(rep);
    }

    @Test
    void aRealmOverrideInGermanChangesTheGermanTextMessageOnly() {
        realm.admin().localization().saveRealmLocalizationText("de", "phoneOtpSmsText", "{0}: Code {1} (gültig {2} Min.)");

        signInWithPassword("hans");
        String german = twilio.lastMessageTo(HANS).body();
        String code = twilio.lastMessageTo(HANS).code();
        assertEquals("Phone OTP Test: Code " + code + " (gültig 5 Min.)\n\n@localhost #" + code, german);

        newVisitor();
        signInWithPassword("alice");
        assertTrue(twilio.lastMessageTo(ALICE).body().startsWith("Phone OTP Test: your sign-in code is "), "English is unchanged");
    }

    @Test
    void aBrokenOverrideFallsBackToTheBundledTextWithAWarning() throws Exception {
        realm.admin().localization().saveRealmLocalizationText("de", "phoneOtpSmsText", "{0}: Code {1 gültig");
        realm.admin().localization().saveRealmLocalizationText("de", "phoneOtpVoiceGreeting", "Hallo von {3}.");
        // reads as a pattern, yet the code is text, not a number: it would fail at the send
        realm.admin().localization().saveRealmLocalizationText("de", "phoneOtpSmsTextShort", "{0}: {1,number}");
        long logged = Files.size(PhoneOtpServerConfig.SERVER_LOG);

        signInWithPassword("hans");

        FakeTwilio.Recorded sms = twilio.lastMessageTo(HANS);
        Properties german = LanguagesTest.bundle("de");
        assertEquals(new MessageFormat(german.getProperty("phoneOtpSmsText"), Locale.GERMAN)
                .format(new Object[]{"Phone OTP Test", sms.code(), 5L}) + "\n\n@localhost #" + sms.code(), sms.body());
        codePage.submitCode(sms.code());
        assertTrue(signedIn(), pageText());
        String log = Files.readString(PhoneOtpServerConfig.SERVER_LOG).substring((int) logged);
        assertTrue(log.contains("WARN") && log.contains("the text phoneOtpSmsText for de cannot be used (not a message pattern"), log);
        assertTrue(log.contains("the text phoneOtpVoiceGreeting for de cannot be used (placeholders [3]"), log);
        assertTrue(log.contains("the text phoneOtpSmsTextShort for de cannot be used (not a message pattern"), log);
    }

    @Test
    void anOverrideThatDropsTheCodeIsNotSent() {
        realm.admin().localization().saveRealmLocalizationText("en", "phoneOtpSmsText", "{0}: here is your code.");

        signInWithPassword("alice");

        assertTrue(twilio.lastMessageTo(ALICE).body().startsWith("Phone OTP Test: your sign-in code is " + twilio.lastMessageTo(ALICE).code()),
                twilio.lastMessageTo(ALICE).body());
    }

    @Test
    void aCustomLoginThemesMessagesApplyToPagesTextsAndCalls() {
        var rep = realm.admin().toRepresentation();
        rep.setLoginTheme("phone-otp-custom");
        realm.admin().update(rep);

        signInWithPassword("alice");
        assertTrue(pageText().contains("Type the code from your phone"), pageText());
        String code = twilio.lastMessageTo(ALICE).code();
        assertEquals("Northwind: " + code + " is your code for Phone OTP Test. Valid 5 min.\n\n@localhost #" + code,
                twilio.lastMessageTo(ALICE).body());

        newVisitor();
        signInWithPassword("hans");
        code = twilio.lastMessageTo(HANS).code();
        assertEquals("Northwind: " + code + " ist Ihr Code für Phone OTP Test. Gültig 5 Min.\n\n@localhost #" + code,
                twilio.lastMessageTo(HANS).body(), "the theme's German file");

        newVisitor();
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
        signInWithPassword("alice");
        var spoken = twilio.lastCallTo(ALICE).spoken();
        assertEquals("Thank you for calling Northwind.", spoken.get(spoken.size() - 1));

        realm.admin().localization().saveRealmLocalizationText("en", "phoneOtpVoiceGoodbye", "Bye from the realm.");
        newVisitor();
        signInWithPassword("alice");
        spoken = twilio.lastCallTo(ALICE).spoken();
        assertEquals("Bye from the realm.", spoken.get(spoken.size() - 1), "a realm override beats the theme, as on pages");
    }

    @Test
    void aRealmOverrideOfTheShortWordingIsUsedWhenTheFullOneIsTooLong() {
        var texts = realm.admin().localization();
        texts.saveRealmLocalizationText("en", "phoneOtpSmsText", "{0}: your code is {1}. " + "Please read this. ".repeat(8));
        texts.saveRealmLocalizationText("en", "phoneOtpSmsTextShort", "{0} code {1}");

        signInWithPassword("alice");

        String code = twilio.lastMessageTo(ALICE).code();
        assertEquals("Phone OTP Test code " + code + "\n\n@localhost #" + code, twilio.lastMessageTo(ALICE).body());
    }
}
