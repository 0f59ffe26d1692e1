package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

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

    @Test
    void signsInWithTheCodeFromTheTextMessage() {
        signInWithPassword("alice");

        assertTrue(onCodePage(), pageText());
        assertTrue(pageText().contains("+*********71"), "the masked number is shown: " + pageText());
        assertFalse(pageText().contains(ALICE), "the full number is never shown");
        var code = driver.findElement(By.id("code"));
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

        submitCode(sms.code());

        assertTrue(signedIn(), pageText());
        assertEquals("true", userAttribute("alice", "phoneNumberVerified"), "the first correct code verifies the number");
        EventRepresentation login = events("alice", "LOGIN").get(0);
        assertEquals("sms", login.getDetails().get("phone_otp_channel"));
        assertEquals("+*********71", login.getDetails().get("phone_otp_phone"));
        assertTrue(login.getDetails().get("phone_otp_provider_id").startsWith("SM"), login.getDetails().toString());
    }

    @Test
    void aWrongCodeShowsTheAttemptsLeftThenTheRightCodeWorks() {
        signInWithPassword("alice");
        String code = twilio.lastMessageTo(ALICE).code();

        submitCode(wrong(code));

        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
        EventRepresentation error = events("alice", "LOGIN_ERROR").get(0);
        assertEquals("invalid_code", error.getDetails().get("phone_otp_error"));
        assertEquals("invalid_code", error.getError());

        submitCode(code);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void afterTheLastAttemptEvenTheRightCodeNeedsANewCode() {
        signInWithPassword("alice");
        String code = twilio.lastMessageTo(ALICE).code();

        submitCode(wrong(code));
        submitCode(wrong(code));
        submitCode(wrong(code));
        assertTrue(pageText().contains("Too many wrong codes. Ask for a new code."), pageText());

        submitCode(code);
        assertTrue(pageText().contains("Too many wrong codes. Ask for a new code."), "a used-up code stays refused: " + pageText());
        assertFalse(signedIn());
        assertEquals("too_many_attempts", events("alice", "LOGIN_ERROR").get(0).getDetails().get("phone_otp_error"));
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
        submitCode(twilio.lastMessageTo(ALICE).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void resendHonoursTheCooldownAndTheNewCodeReplacesTheOld() {
        signInWithPassword("alice");
        String first = twilio.lastMessageTo(ALICE).code();
        assertTrue(pageText().contains("You can ask for a new code in"), pageText());

        resend();
        assertTrue(pageText().matches("(?s).*Please wait \\d+ seconds before asking for a new code.*"), pageText());
        assertEquals(1, twilio.messagesTo(ALICE).size(), "no send during the cooldown");

        smsStepConfig(Map.of("resendCooldownSeconds", "0"));
        resend();
        assertTrue(pageText().contains("A new code is on its way."), pageText());
        assertEquals(2, twilio.messagesTo(ALICE).size());
        String second = twilio.lastMessageTo(ALICE).code();

        if (!first.equals(second)) {
            submitCode(first);
            assertTrue(pageText().contains("That code is not right."), "the old code no longer works: " + pageText());
        }
        submitCode(second);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theWaitCountsDownOnThePageAndTheButtonComesBack() throws Exception {
        smsStepConfig(Map.of("resendCooldownSeconds", "2"));
        signInWithPassword("alice");
        var button = driver.findElement(By.id("phone-otp-resend"));
        assertFalse(button.isEnabled(), "disabled during the wait");

        long deadline = System.currentTimeMillis() + 6000;
        while (!driver.findElement(By.id("phone-otp-resend")).isEnabled() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(driver.findElement(By.id("phone-otp-resend")).isEnabled(), "enabled when the wait is over");
        assertFalse(driver.findElement(By.id("phone-otp-resend-wait")).isDisplayed(), "the wait text is gone");
        driver.findElement(By.id("phone-otp-resend")).click();
        assertTrue(pageText().contains("A new code is on its way."), pageText());

        // the script comes from the provider jar through the theme, not from elsewhere
        String src = driver.findElement(By.xpath("//script[contains(@src,'phone-otp-countdown.js')]")).getAttribute("src");
        assertTrue(src.startsWith("http://localhost:8080/resources/"), src);
        var script = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(src)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("phone-otp-resend-wait"));
    }

    @Test
    void noMoreCodesThanMaxSendsInOneLogin() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "2"));
        signInWithPassword("alice");
        resend();
        assertEquals(2, twilio.messagesTo(ALICE).size());


        assertTrue(pageText().contains("No more codes can be sent in this sign-in."), pageText());
        assertFalse(driver.findElement(By.id("phone-otp-resend")).isEnabled(), "the resend button is disabled");

        // the server refuses too, whatever the page allows
        resend();
        assertTrue(pageText().contains("No more codes can be sent in this sign-in."), pageText());
        assertEquals(2, twilio.messagesTo(ALICE).size());
        assertEquals("rate_limited", events("alice", "LOGIN_ERROR").get(0).getDetails().get("phone_otp_error"));
    }

    @Test
    void anExpiredCodeIsRefusedAndANewOneWorks() throws InterruptedException {
        smsStepConfig(Map.of("codeTtlSeconds", "30", "resendCooldownSeconds", "0"));
        signInWithPassword("alice");
        String expired = twilio.lastMessageTo(ALICE).code();

        Thread.sleep(31_000);
        submitCode(expired);

        assertTrue(pageText().contains("This code has expired. Ask for a new code."), pageText());
        assertEquals("expired_code", events("alice", "LOGIN_ERROR").get(0).getDetails().get("phone_otp_error"));
        resend();
        submitCode(twilio.lastMessageTo(ALICE).code());
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
            submitCode(wrong(twilio.lastMessageTo(ALICE).code()));
            assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
            submitCode(twilio.lastMessageTo(ALICE).code());
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
        submitCode(sms.code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void aNumberAnAdministratorSetsIsUsedAtTheNextSignIn() {
        var user = realm.admin().users().get(userId("dave"));
        var rep = user.toRepresentation();
        rep.singleAttribute("phoneNumber", "+14155552676");
        user.update(rep);
        assertNotEquals("true", userAttribute("dave", "phoneNumberVerified"));

        signInWithPassword("dave");
        submitCode(twilio.lastMessageTo("+14155552676").code());

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
        submitCode(wrong(code));
        submitCode(code);
        assertTrue(signedIn());

        List<String> log = java.nio.file.Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG);
        assertTrue(log.stream().noneMatch(l -> l.contains(ALICE)), "no full phone number in the log");
        assertTrue(log.stream().noneMatch(l -> l.contains("#" + code) || l.matches(".*\\b" + code + "\\b.*")), "no code in the log");
        assertNull(events("alice", "LOGIN").get(0).getDetails().values().stream().filter(v -> v.contains(code) || v.contains(ALICE)).findAny().orElse(null));
    }

    static String wrong(String code) {
        String wrong = code.substring(0, code.length() - 1) + ((code.charAt(code.length() - 1) - '0' + 1) % 10);
        assertNotEquals(code, wrong);
        return wrong;
    }
}
