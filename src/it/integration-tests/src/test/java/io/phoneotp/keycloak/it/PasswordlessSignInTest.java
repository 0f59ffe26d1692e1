package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.ui.annotations.InjectPage;
import org.keycloak.testframework.ui.page.LoginPasswordResetPage;
import org.keycloak.testframework.ui.page.LoginPasswordUpdatePage;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in by phone without a password (the identify step, then the SMS step with voice as the
 * alternative), the phoneNumberNote setting, step-up with acr_values, and the forgot-password flow,
 * on the real login pages. Unknown, phoneless and disabled accounts get the same pages as real ones.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PasswordlessSignInTest extends PhoneOtpTestBase {

    private static final String RITA = "+14155552681";

    @InjectPage
    LoginPasswordResetPage forgotPasswordPage;

    @InjectPage
    LoginPasswordUpdatePage newPasswordPage;

    private void identify(String identifier) {
        openLogin();
        assertTrue(identifyPage.isCurrent(), pageText());
        assertTrue(pageText().contains("Username, email or phone number"), pageText());
        identifyPage.identify(identifier);
    }

    @Test
    void signsInByPhoneNumberInInternationalAndNationalFormat() {
        bindBrowserFlow("passwordless-phone");

        identify(RITA);
        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        codePage.submitCode(twilio.awaitText(RITA, 1).code());
        assertTrue(signedIn(), pageText());

        policy(Map.of("defaultCountry", "US"));
        newVisitor();
        identify("(415) 555-2680");
        codePage.submitCode(twilio.awaitText("+14155552680", 1).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void signsInByUsernameAndByEmail() {
        bindBrowserFlow("passwordless-phone");

        identify("tina");
        codePage.submitCode(twilio.awaitText("+14155552682", 1).code());
        assertTrue(signedIn(), pageText());

        newVisitor();
        identify("wendy@example.org");
        codePage.submitCode(twilio.awaitText("+14155552683", 1).code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theCallIsTheAlternative() {
        bindBrowserFlow("passwordless-phone");
        stepConfig("passwordless-phone code", "phone-otp-sms", Map.of("resendCooldownSeconds", "0"));

        identify("rita");
        twilio.awaitText(RITA, 1);
        codePage.switchChannel();

        assertTrue(pageText().contains("If this account has a phone number, we are calling it to read you a code."), pageText());
        codePage.submitCode(twilio.awaitCall(RITA, 1).spokenCode());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void unknownPhonelessAndDisabledAccountsGetTheSamePagesAndNoMessage() {
        bindBrowserFlow("passwordless-phone");
        identify("rita");
        String real = SamePage.comparable(driver.driver().getPageSource());
        String ritasCode = twilio.awaitText(RITA, 1).code();
        codePage.submitCode(SmsSecondFactorTest.wrong(ritasCode));
        String realAfterWrongCode = SamePage.comparable(driver.driver().getPageSource());
        twilio.reset();

        // no account, by name and by number; an account without a number; one with an unverified number; a disabled one
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("nobody-at-all", "unknown_user");
        reasons.put("+14155550100", "unknown_user");
        reasons.put("bob", "no_verified_number");
        reasons.put("alice", "no_verified_number");
        reasons.put("olga", "user_disabled");
        reasons.put("olga@example.org", "user_disabled");
        for (var identifier : reasons.entrySet()) {
            newVisitor();
            identify(identifier.getKey());
            assertSamePage(real, SamePage.comparable(driver.driver().getPageSource()), "the code page for " + identifier.getKey());
            codePage.submitCode("000000");
            assertSamePage(realAfterWrongCode, SamePage.comparable(driver.driver().getPageSource()), "a wrong code for " + identifier.getKey());

            // the event tells the administrator what really happened
            EventRepresentation event = identifyEvent(identifier.getKey());
            assertEquals(identifier.getValue(), event.getDetails().get("phone_otp_reason"), identifier.getKey() + ": " + event.getDetails());
        }
        assertTrue(identifyEvent("+14155550100").getDetails().values().stream().noneMatch(v -> v.contains("4155550100")),
                "a typed number appears masked only");

        // A real account's code goes out after its page, on another thread: one more sign-in by phone,
        // and once its text has arrived, a stray one sent for any of the sign-ins above would have too.
        newVisitor();
        identify("rita");
        twilio.awaitText(RITA, 1);
        assertEquals(List.of(RITA), twilio.requests().stream().map(FakeTwilio.Recorded::to).toList(), "no message to anybody else");
    }

    /** The identify step's LOGIN_ERROR for an identifier: by the account it names, or, where none, by what was typed (masked if a number). */
    private EventRepresentation identifyEvent(String identifier) {
        var accounts = identifier.contains("@") ? realm.admin().users().searchByEmail(identifier, true) : realm.admin().users().search(identifier, true);
        if (!accounts.isEmpty()) {
            String userId = accounts.get(0).getId();
            return lastEvent(e -> userId.equals(e.getUserId()) && EventType.LOGIN_ERROR.name().equals(e.getType()), "LOGIN_ERROR of " + identifier);
        }
        String shown = identifier.startsWith("+") ? "+" + "*".repeat(identifier.length() - 3) + identifier.substring(identifier.length() - 2) : identifier;
        return lastEvent(e -> e.getUserId() == null && EventType.LOGIN_ERROR.name().equals(e.getType())
                && shown.equals(e.getDetails().get("username")), "LOGIN_ERROR for " + shown);
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
        codePage.submitCode(twilio.awaitText(RITA, 1).code());
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
        return Files.readString(PhoneOtpServerConfig.SERVER_LOG);
    }

    @Test
    void anApplicationAskingForAHigherLevelGetsTheSmsStepOnTopOfThePassword() {
        bindBrowserFlow("step-up");
        signInWithPassword("rita");
        assertTrue(signedIn(), "level 1 is the password alone: " + pageText());
        assertTrue(twilio.requests().isEmpty());
        assertEquals("silver", idTokenFromCallback().getAcr(), "level 1");

        oauth.loginForm().param("acr_values", "gold").open();

        assertTrue(codePage.isCurrent(), "no password again, only the code: " + pageText());
        codePage.submitCode(twilio.lastMessageTo(RITA).code());
        assertTrue(signedIn(), pageText());
        assertEquals("gold", idTokenFromCallback().getAcr());
    }

    /** The application's side: the authorization code on the callback exchanged for an ID token. */
    private IDToken idTokenFromCallback() {
        var tokens = oauth.doAccessTokenRequest(callback().getCode());
        assertNotNull(tokens.getIdToken(), tokens.getError() + ": " + tokens.getErrorDescription());
        return oauth.parseToken(tokens.getIdToken(), IDToken.class);
    }

    private void forgotPassword(String identifier) {
        var rep = realm.admin().toRepresentation();
        rep.setResetCredentialsFlow("reset-with-sms");
        realm.admin().update(rep);
        openLogin();
        loginPage.resetPassword();
        forgotPasswordPage.changePassword(identifier);
    }

    @Test
    void forgotPasswordProvesThePhoneBeforeANewPassword() {
        forgotPassword("rita");
        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        codePage.submitCode(twilio.awaitText(RITA, 1).code());

        newPasswordPage.changePassword("a-new-password-for-rita", "a-new-password-for-rita");
        assertTrue(signedIn(), pageText());

        newVisitor();
        openLogin();
        loginPage.fillLogin("rita", "a-new-password-for-rita");
        loginPage.submit();
        assertTrue(codePage.isCurrent(), "the new password is accepted: " + pageText());
    }

    @Test
    void forgotPasswordForAnUnknownAccountLooksTheSameAndSendsNothing() {
        forgotPassword("nobody-at-all");

        assertTrue(pageText().contains("If this account has a phone number, we sent a code to it by text message."), pageText());
        codePage.submitCode("123456");
        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());

        // a real account's code goes out after its page, on another thread: once it has arrived, a stray one would have too
        newVisitor();
        forgotPassword("rita");
        twilio.awaitText(RITA, 1);
        assertEquals(List.of(RITA), twilio.requests().stream().map(FakeTwilio.Recorded::to).toList(), "nothing for the unknown account");
    }

    @Test
    void theConditionAsksForACodeOnlyFromUsersWithAVerifiedNumber() {
        bindBrowserFlow("browser-phone-condition");

        signInWithPassword("rita"); // verified number
        assertTrue(codePage.isCurrent(), pageText());
        codePage.submitCode(twilio.lastMessageTo(RITA).code());
        assertTrue(signedIn(), pageText());

        for (String user : List.of("alice", "bob")) { // a number nobody has verified yet; no number
            newVisitor();
            signInWithPassword(user);
            assertTrue(signedIn(), user + ": " + pageText());
        }
        assertEquals(1, twilio.requests().size());
    }
}
