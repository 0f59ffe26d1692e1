package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password, then a code by SMS: what a person sees and what the phone receives. */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SmsSecondFactorTest extends PhoneOtpTestBase {

    static final String ALICE = "+14155552671";

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    @Test
    void anAdministratorsOwnTextForTheMessageAppliesToTheNextMessage() {
        var texts = realm.admin().localization();
        try {
            texts.saveRealmLocalizationText("en", "phoneOtpSmsText", "{1} is your code for {0}.");
            signInWithPassword("alice");
            assertTrue(twilio.lastMessageTo(ALICE).body().startsWith(twilio.lastMessageTo(ALICE).code() + " is your code for Phone OTP Test."),
                    twilio.lastMessageTo(ALICE).body());

            texts.saveRealmLocalizationText("en", "phoneOtpSmsText", "Code {1} ({0})");
            startFresh();
            signInWithPassword("alice");
            assertTrue(twilio.lastMessageTo(ALICE).body().startsWith("Code " + twilio.lastMessageTo(ALICE).code() + " (Phone OTP Test)"),
                    "an edited text applies at once: " + twilio.lastMessageTo(ALICE).body());
        } finally {
            texts.deleteRealmLocalizationText("en", "phoneOtpSmsText");
        }
        startFresh();
        signInWithPassword("alice");
        assertTrue(twilio.lastMessageTo(ALICE).body().startsWith("Phone OTP Test: your sign-in code is "), "and its removal too");
    }

    @Test
    void signsInWithTheCodeFromTheTextMessage() {
        signInWithPassword("alice");

        assertTrue(codePage.isCurrent(), pageText());
        assertTrue(pageText().contains("+*********71"), "the masked number is shown: " + pageText());
        assertFalse(pageText().contains(ALICE), "the full number is never shown");
        var code = codePage.codeField();
        assertEquals("one-time-code", code.getAttribute("autocomplete"));
        assertEquals("numeric", code.getAttribute("inputmode"));

        FakeTwilio.Recorded sms = twilio.lastMessageTo(ALICE);
        assertEquals("/2010-04-01/Accounts/" + FakeTwilio.ACCOUNT_SID + "/Messages.json", sms.path());
        assertEquals(FakeTwilio.ACCOUNT_SID, sms.username());
        assertEquals(PhoneOtpServerConfig.VAULT_TOKEN, sms.password(), "the ${vault.twilio-token} reference is resolved at send time");
        assertEquals("+15005550006", sms.form().get("From"));
        assertEquals("300", sms.form().get("ValidityPeriod"));
        assertTrue(sms.body().startsWith("Phone OTP Test: your sign-in code is " + sms.code()), sms.body());
        assertTrue(sms.body().endsWith("\n@localhost #" + sms.code()), "origin-bound last line: " + sms.body());
        assertEquals(6, sms.code().length());

        codePage.submitCode(sms.code());

        assertTrue(signedIn(), pageText());
        assertEquals("true", userAttribute("alice", "phoneNumberVerified"), "the first correct code verifies the number");
        EventRepresentation login = lastEvent("alice", EventType.LOGIN);
        assertEquals("sms", login.getDetails().get("phone_otp_channel"));
        assertEquals("+*********71", login.getDetails().get("phone_otp_phone"));
        assertTrue(login.getDetails().get("phone_otp_provider_id").startsWith("SM"), login.getDetails().toString());
    }

    @Test
    void aWrongCodeShowsTheAttemptsLeftThenTheRightCodeWorks() {
        signInWithPassword("alice");
        String code = twilio.lastMessageTo(ALICE).code();

        codePage.submitCode(wrong(code));

        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
        EventRepresentation error = lastEvent("alice", EventType.LOGIN_ERROR);
        assertEquals("invalid_code", error.getDetails().get("phone_otp_error"));
        assertEquals("invalid_code", error.getError());

        codePage.submitCode(code);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void afterTheLastAttemptEvenTheRightCodeNeedsANewCode() {
        signInWithPassword("alice");
        String code = twilio.lastMessageTo(ALICE).code();

        codePage.submitCode(wrong(code));
        codePage.submitCode(wrong(code));
        codePage.submitCode(wrong(code));
        assertTrue(pageText().contains("Too many wrong codes. Ask for a new code."), pageText());

        codePage.submitCode(code);
        assertTrue(pageText().contains("Too many wrong codes. Ask for a new code."), "a used-up code stays refused: " + pageText());
        assertFalse(signedIn());
        assertEquals("too_many_attempts", lastEvent("alice", EventType.LOGIN_ERROR).getDetails().get("phone_otp_error"));
    }

    @Test
    void reloadingThePageNeverSendsAnotherMessage() {
        signInWithPassword("alice");
        assertEquals(1, twilio.messagesTo(ALICE).size());

        reload();
        reload();
        driver.driver().navigate().back();
        driver.driver().navigate().forward();

        assertEquals(1, twilio.messagesTo(ALICE).size(), "only the resend button sends");
        codePage.submitCode(twilio.lastMessageTo(ALICE).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void resendHonoursTheCooldownAndTheNewCodeReplacesTheOld() {
        signInWithPassword("alice");
        String first = twilio.lastMessageTo(ALICE).code();
        assertTrue(pageText().contains("You can ask for a new code in"), pageText());

        codePage.resend();
        assertTrue(pageText().matches("(?s).*Please wait \\d+ seconds before asking for a new code.*"), pageText());
        assertEquals(1, twilio.messagesTo(ALICE).size(), "no send during the cooldown");

        smsStepConfig(Map.of("resendCooldownSeconds", "0"));
        codePage.resend();
        assertTrue(pageText().contains("A new code is on its way."), pageText());
        assertEquals(2, twilio.messagesTo(ALICE).size());
        String second = twilio.lastMessageTo(ALICE).code();

        assertNotEquals(first, second, "a new code, not the old one again");
        codePage.submitCode(first);
        assertTrue(pageText().contains("That code is not right."), "the old code no longer works: " + pageText());
        codePage.submitCode(second);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theWaitCountsDownOnThePageAndTheButtonComesBack() throws Exception {
        smsStepConfig(Map.of("resendCooldownSeconds", "2"));
        signInWithPassword("alice");
        assertFalse(codePage.resendEnabled(), "disabled during the wait");
        assertTrue(codePage.resendWaitShown(), "the wait is shown");

        // the countdown runs in the browser, in the browser's time
        new WebDriverWait(driver.driver(), Duration.ofSeconds(6)).withMessage("the resend button comes back when the wait is over")
                .until(d -> codePage.resendEnabled());
        assertFalse(codePage.resendWaitShown(), "the wait text is gone");
        codePage.clickResend();
        assertTrue(pageText().contains("A new code is on its way."), pageText());

        // the script comes from the provider jar through the theme, not from elsewhere
        String src = codePage.countdownScriptUrl();
        assertTrue(src.startsWith("http://localhost:8080/resources/"), src);
        var script = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(src)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("phone-otp-resend-wait"));
    }

    @Test
    void noMoreCodesThanMaxSendsInOneLogin() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "2"));
        signInWithPassword("alice");
        codePage.resend();
        assertEquals(2, twilio.messagesTo(ALICE).size());

        assertTrue(pageText().contains("No more codes can be sent in this sign-in."), pageText());
        assertFalse(codePage.resendEnabled(), "the resend button is disabled");

        // the server refuses too, whatever the page allows
        codePage.resend();
        assertTrue(pageText().contains("No more codes can be sent in this sign-in."), pageText());
        assertEquals(2, twilio.messagesTo(ALICE).size());
        assertEquals("rate_limited", lastEvent("alice", EventType.LOGIN_ERROR).getDetails().get("phone_otp_error"));
    }

    @Test
    void anExpiredCodeIsRefusedAndANewOneWorks() {
        signInWithPassword("alice");
        String expired = twilio.lastMessageTo(ALICE).code();

        timeOffSet.set(Duration.ofSeconds(300 + 1)); // the realm's codes live five minutes
        codePage.submitCode(expired);

        assertTrue(pageText().contains("This code has expired. Ask for a new code."), pageText());
        assertEquals("expired_code", lastEvent("alice", EventType.LOGIN_ERROR).getDetails().get("phone_otp_error"));
        codePage.resend();
        codePage.submitCode(twilio.lastMessageTo(ALICE).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theCodePageWorksUnderTheLegacyKeycloakTheme() {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setLoginTheme("keycloak");
        realm.admin().update(rep);
        try {
            signInWithPassword("alice");

            assertTrue(driver.driver().getPageSource().contains("/resources/") && driver.driver().getPageSource().contains("/login/keycloak/"),
                    "rendered by the legacy theme");
            assertTrue(pageText().contains("We sent a code by text message to +*********71."), pageText());
            codePage.submitCode(wrong(twilio.lastMessageTo(ALICE).code()));
            assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
            codePage.submitCode(twilio.lastMessageTo(ALICE).code());
            assertTrue(signedIn(), pageText());
        } finally {
            rep.setLoginTheme(null);
            realm.admin().update(rep);
        }
    }

    @Test
    void aGermanUserGetsTheTextInGerman() {
        signInWithPassword("hans");

        FakeTwilio.Recorded sms = twilio.lastMessageTo("+4915112345678");
        assertTrue(sms.body().startsWith("Phone OTP Test: Ihr Anmeldecode lautet " + sms.code() + ". Er ist 5 Minuten g\u00fcltig."), sms.body());
        assertTrue(pageText().contains("Wir haben einen Code per SMS an"), pageText());
    }

    @Test
    void aNumberWrittenWithSpacesByAnAdministratorIsUsedInE164() {
        signInWithPassword("grace");

        FakeTwilio.Recorded sms = twilio.lastMessageTo("+14155552675");
        codePage.submitCode(sms.code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void aNumberAnAdministratorSetsIsUsedAtTheNextSignIn() {
        setAttribute("dave", "phoneNumber", "+14155552676");
        assertNotEquals("true", userAttribute("dave", "phoneNumberVerified"));

        signInWithPassword("dave");
        codePage.submitCode(twilio.lastMessageTo("+14155552676").code());

        assertTrue(signedIn(), pageText());
        assertEquals("true", userAttribute("dave", "phoneNumberVerified"));
    }

    @Test
    void aUserWithoutAPhoneNumberSkipsAnAlternativeStep() {
        signInWithPassword("bob");

        assertTrue(signedIn(), pageText());
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void withRegistrationDisabledARequiredStepTellsAUserWithoutAPhoneNumberWhyTheyCannotSignIn() {
        requireSmsForEveryone();
        var action = realm.admin().flows().getRequiredAction("phone-number-config");
        action.setEnabled(false);
        realm.admin().flows().updateRequiredAction("phone-number-config", action);
        try {
            signInWithPassword("bob");

            assertFalse(signedIn());
            assertTrue(pageText().contains("credential setup required"), pageText());
            assertTrue(twilio.requests().isEmpty());
        } finally {
            action.setEnabled(true);
            realm.admin().flows().updateRequiredAction("phone-number-config", action);
        }
    }

    @Test
    void noCodeAndNoFullNumberInTheServerLog() throws Exception {
        signInWithPassword("alice");
        String code = twilio.lastMessageTo(ALICE).code();
        codePage.submitCode(wrong(code));
        codePage.submitCode(code);
        assertTrue(signedIn());

        List<String> log = Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG);
        assertTrue(log.stream().noneMatch(l -> l.contains(ALICE)), "no full phone number in the log");
        assertTrue(log.stream().noneMatch(l -> l.contains("#" + code) || l.matches(".*\\b" + code + "\\b.*")), "no code in the log");
        assertNull(lastEvent("alice", EventType.LOGIN).getDetails().values().stream().filter(v -> v.contains(code) || v.contains(ALICE)).findAny().orElse(null));
    }

    /** The code with its last digit changed. */
    static String wrong(String code) {
        return code.substring(0, code.length() - 1) + ((code.charAt(code.length() - 1) - '0' + 1) % 10);
    }
}
