package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in by phone without a password (the identify step, then the SMS step with voice as the
 * alternative), the phoneNumberNote setting, step-up with acr_values, and the forgot-password flow,
 * on the real login pages. Unknown, phoneless and disabled accounts get the same pages as real ones.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PasswordlessSignInTest extends PhoneOtpTestBase {

    private static final String RITA = "+14155552681";

    @AfterEach
    void restoreBindings() {
        var rep = realm.admin().toRepresentation();
        rep.setBrowserFlow("browser-phone-otp");
        rep.setResetCredentialsFlow("reset credentials");
        realm.admin().update(rep);
    }

    private void bindBrowserFlow(String alias) {
        var rep = realm.admin().toRepresentation();
        rep.setBrowserFlow(alias);
        realm.admin().update(rep);
    }

    private void identify(String identifier) {
        openLogin();
        assertTrue(pageText().contains("Username, email or phone number"), pageText());
        type("username", identifier);
        driver.findElement(By.id("kc-login")).click();
    }

    @Test
    void signsInByPhoneNumberInInternationalAndNationalFormat() {
        bindBrowserFlow("passwordless-phone");

        identify(RITA);
        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        submitCode(twilio.awaitText(RITA, 1).code());
        assertTrue(signedIn(), pageText());

        policy(Map.of("defaultCountry", "US"));
        newVisitor();
        identify("(415) 555-2680");
        submitCode(twilio.awaitText("+14155552680", 1).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void signsInByUsernameAndByEmail() {
        bindBrowserFlow("passwordless-phone");

        identify("tina");
        submitCode(twilio.awaitText("+14155552682", 1).code());
        assertTrue(signedIn(), pageText());

        newVisitor();
        identify("wendy@example.org");
        submitCode(twilio.awaitText("+14155552683", 1).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theCallIsTheAlternative() {
        bindBrowserFlow("passwordless-phone");
        stepConfig("passwordless-phone code", "phone-otp-sms", Map.of("resendCooldownSeconds", "0"));

        identify("rita");
        twilio.awaitText(RITA, 1);
        switchChannel();

        assertTrue(pageText().contains("If this account has a phone number, we are calling it to read you a code."), pageText());
        submitCode(twilio.awaitCall(RITA, 1).spokenCode());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void unknownPhonelessAndDisabledAccountsGetTheSamePagesAndNoMessage() throws Exception {
        bindBrowserFlow("passwordless-phone");
        identify("rita");
        String real = SamePage.comparable(driver.driver().getPageSource());
        twilio.awaitText(RITA, 1);
        submitCode("000000".equals(twilio.lastMessageTo(RITA).code()) ? "111111" : "000000");
        String realAfterWrongCode = SamePage.comparable(driver.driver().getPageSource());
        twilio.reset();

        // no account; an account without a number; one with an unverified number; a disabled one
        for (String identifier : List.of("nobody-at-all", "+14155550100", "bob", "alice", "olga", "olga@example.org")) {
            newVisitor();
            identify(identifier);
            assertSamePage(real, SamePage.comparable(driver.driver().getPageSource()), "the code page for " + identifier);
            submitCode("000000");
            assertSamePage(realAfterWrongCode, SamePage.comparable(driver.driver().getPageSource()), "a wrong code for " + identifier);
        }
        Thread.sleep(1500); // a real account's code goes out after the page: give a stray one time to arrive
        assertTrue(twilio.requests().isEmpty(), "no message to anybody: " + twilio.requests());

        // the events tell the administrator what really happened
        List<EventRepresentation> errors = realm.admin().getEvents(List.of("LOGIN_ERROR"), null, null, null, null, null, 0, 200);
        assertTrue(errors.stream().anyMatch(e -> "unknown_user".equals(e.getDetails().get("phone_otp_reason"))), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> "no_verified_number".equals(e.getDetails().get("phone_otp_reason"))));
        assertTrue(errors.stream().anyMatch(e -> "user_disabled".equals(e.getDetails().get("phone_otp_reason"))));
        assertTrue(errors.stream().noneMatch(e -> e.getDetails().values().stream().anyMatch(v -> v.contains("4155550100"))),
                "a typed number appears masked only");
    }

    /** Equal pages, or the first line where they differ. */
    private static void assertSamePage(String expected, String actual, String what) {
        String[] e = expected.split("\n");
        String[] a = actual.split("\n");
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            assertEquals(e[i], a[i], what + ", line " + (i + 1));
        }
        assertEquals(e.length, a.length, what + ": number of lines");
    }


    @Test
    void aStepCanTakeTheNumberFromASessionNote() throws Exception {
        bindBrowserFlow("passwordless-phone-note");

        identify(RITA); // the identify step notes the number typed; the step sends there
        submitCode(twilio.awaitText(RITA, 1).code());
        assertTrue(signedIn(), pageText());

        newVisitor();
        identify("rita"); // by username: no number noted, so the step has nowhere to send
        assertTrue(pageText().contains("Sign-in by phone is not set up correctly."), pageText());
        assertTrue(serverLog().contains("its phoneNumberNote 'phone-otp.identify.number' is not set by an earlier step"));

        newVisitor();
        identify("nobody-at-all"); // the same answer without an account: the mistake must not tell accounts apart
        assertTrue(pageText().contains("Sign-in by phone is not set up correctly."), pageText());
    }

    @Test
    void theStepAsTheFirstStepIsAConfigurationError() throws Exception {
        bindBrowserFlow("sms-first");

        openLogin();

        assertTrue(pageText().contains("Sign-in by phone is not set up correctly."), pageText());
        assertTrue(serverLog().contains("runs before any step that identifies the user"));
        assertTrue(twilio.requests().isEmpty());
    }

    private static String serverLog() throws Exception {
        return Files.readString(Path.of("target", "keycloak-server.log"));
    }

    @Test
    void anApplicationAskingForAHigherLevelGetsTheSmsStepOnTopOfThePassword() throws Exception {
        bindBrowserFlow("step-up");
        signInWithPassword("rita");
        assertTrue(signedIn(), "level 1 is the password alone: " + pageText());
        assertTrue(twilio.requests().isEmpty());
        assertEquals("silver", tokenFromCallback().path("acr").asText(), "level 1");

        driver.open("http://localhost:8080/realms/" + REALM + "/protocol/openid-connect/auth?client_id=test-app"
                + "&redirect_uri=" + CALLBACK + "&response_type=code&scope=openid&acr_values=gold");

        assertTrue(onCodePage(), "no password again, only the code: " + pageText());
        submitCode(twilio.lastMessageTo(RITA).code());
        assertTrue(signedIn(), pageText());
        assertEquals("gold", tokenFromCallback().path("acr").asText());
    }

    /** The application's side: the authorization code on the callback exchanged for the ID token's claims. */
    private JsonNode tokenFromCallback() throws Exception {
        var m = java.util.regex.Pattern.compile("[?&]code=([^&]+)").matcher(driver.getCurrentUrl());
        assertTrue(m.find(), driver.getCurrentUrl());
        String form = "grant_type=authorization_code&client_id=test-app&code=" + m.group(1)
                + "&redirect_uri=" + CALLBACK;
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:8080/realms/" + REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        String idToken = json.path("id_token").asText();
        assertFalse(idToken.isEmpty(), response.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(idToken.split("\\.")[1]));
    }

    private void forgotPassword(String identifier) {
        var rep = realm.admin().toRepresentation();
        rep.setResetCredentialsFlow("reset-with-sms");
        realm.admin().update(rep);
        openLogin();
        driver.findElement(By.cssSelector("a[href*='reset-credentials']")).click();
        type("username", identifier);
        driver.findElement(By.cssSelector("[type=submit]")).click();
    }

    @Test
    void forgotPasswordProvesThePhoneBeforeANewPassword() {
        forgotPassword("rita");
        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        submitCode(twilio.awaitText(RITA, 1).code());

        type("password-new", "a-new-password-for-rita");
        type("password-confirm", "a-new-password-for-rita");
        driver.findElement(By.cssSelector("[type=submit]")).click();
        assertTrue(signedIn(), pageText());

        newVisitor();
        openLogin();
        type("username", "rita");
        type("password", "a-new-password-for-rita");
        driver.findElement(By.id("kc-login")).click();
        assertTrue(onCodePage(), "the new password is accepted: " + pageText());
    }

    @Test
    void forgotPasswordForAnUnknownAccountLooksTheSameAndSendsNothing() throws Exception {
        forgotPassword("nobody-at-all");

        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        submitCode("123456");
        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
        Thread.sleep(1000);
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void theConditionAsksForACodeOnlyFromUsersWithAVerifiedNumber() {
        bindBrowserFlow("browser-phone-condition");

        signInWithPassword("rita"); // verified number
        assertTrue(onCodePage(), pageText());
        submitCode(twilio.lastMessageTo(RITA).code());
        assertTrue(signedIn(), pageText());

        for (String user : List.of("alice", "bob")) { // a number nobody has verified yet; no number
            newVisitor();
            signInWithPassword(user);
            assertTrue(signedIn(), user + ": " + pageText());
        }
        assertEquals(1, twilio.requests().size());
    }
}
