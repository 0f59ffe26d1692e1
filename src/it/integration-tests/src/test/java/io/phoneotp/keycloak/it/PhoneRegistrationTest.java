package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registration action {@code phone-number-config}, started every way a user or an application
 * starts it, on the real login pages: the number is saved only after the right code, a change
 * needs a recent sign-in with the second factor, and the old number is told.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PhoneRegistrationTest extends PhoneOtpTestBase {

    @Test
    void anApplicationStartsRegistrationAndGetsTheStatusAndTheClaimsBack() throws Exception {
        policy(Map.of("defaultCountry", "US"));
        signInWithPassword("paul");
        assertTrue(signedIn(), pageText());

        startPhoneAction();
        assertTrue(onRegistrationPage(), pageText());
        enterNumber("(415) 555-2690"); // national format, read with the policy's defaultCountry

        assertTrue(pageText().contains("+14155552690"), "the page shows the number as it will be saved: " + pageText());
        FakeTwilio.Recorded sms = twilio.lastMessageTo("+14155552690");
        assertTrue(sms.body().startsWith("Phone OTP Test: your code to confirm this phone number is " + sms.code()), sms.body());
        assertNull(userAttribute("paul", "phoneNumber"), "nothing is saved before the code");

        confirmNumber(sms.code());

        assertEquals("success", kcActionStatus(), driver.getCurrentUrl());
        assertEquals("+14155552690", userAttribute("paul", "phoneNumber"));
        assertEquals("true", userAttribute("paul", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("paul").contains("phone-otp"), storedCredentialTypes("paul").toString());
        JsonNode claims = AdminRest.phoneClaims("paul");
        assertEquals("+14155552690", claims.path("phone_number").asText(), claims.toString());
        assertTrue(claims.path("phone_number_verified").asBoolean(), claims.toString());

        var event = events("paul", "CUSTOM_REQUIRED_ACTION").get(0);
        assertEquals("phone-number-config", event.getDetails().get("custom_required_action"));
        assertEquals("+*********90", event.getDetails().get("phone_otp_phone"));
        assertEquals("sms", event.getDetails().get("phone_otp_channel"));
    }

    @Test
    void aWrongCodeSavesNothingAndCancellingTellsTheApplication() {
        signInWithPassword("victor");
        startPhoneAction();
        enterNumber("+14155552691");
        String code = twilio.lastMessageTo("+14155552691").code();

        confirmNumber(code.equals("000000") ? "111111" : "000000");

        assertTrue(onRegistrationPage());
        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
        assertNull(userAttribute("victor", "phoneNumber"));
        assertEquals("invalid_code", events("victor", "CUSTOM_REQUIRED_ACTION_ERROR").get(0).getDetails().get("phone_otp_error"));

        driver.findElement(By.id("kc-cancel")).click();

        assertEquals("cancelled", kcActionStatus(), driver.getCurrentUrl());
        assertNull(userAttribute("victor", "phoneNumber"));
        assertNull(userAttribute("victor", "phoneNumberVerified"));
        assertFalse(storedCredentialTypes("victor").contains("phone-otp"));
    }

    @Test
    void aNumberTwilioRefusesStaysOnThePageAndSavesNothing() {
        signInWithPassword("xena");
        startPhoneAction();
        twilio.failNext(21211, 400);

        enterNumber("+14155552692");

        assertTrue(onRegistrationPage());
        assertTrue(pageText().contains("This is not a valid phone number."), pageText());
        assertEquals("+14155552692", driver.findElement(By.id("phoneNumber")).getAttribute("value"), "what the user typed stays");
        assertNull(userAttribute("xena", "phoneNumber"));

        enterNumber("+14155552693"); // the user corrects the number and goes on
        confirmNumber(twilio.lastMessageTo("+14155552693").code());
        assertEquals("success", kcActionStatus());
        assertEquals("+14155552693", userAttribute("xena", "phoneNumber"));
    }

    @Test
    void anAdministratorAddsTheActionAndTheUserRegistersAtTheNextSignIn() {
        var user = realm.admin().users().get(userId("sam"));
        var rep = user.toRepresentation();
        rep.setRequiredActions(List.of("phone-number-config"));
        user.update(rep);

        signInWithPassword("sam");
        assertTrue(onRegistrationPage(), pageText());
        assertTrue(driver.driver().findElements(By.id("kc-cancel")).isEmpty(), "a required registration cannot be cancelled");
        enterNumber("+4915112345690");
        confirmNumber(twilio.lastMessageTo("+4915112345690").code());

        assertTrue(signedIn(), pageText());
        assertEquals("+4915112345690", userAttribute("sam", "phoneNumber"));
        assertTrue(realm.admin().users().get(userId("sam")).toRepresentation().getRequiredActions().isEmpty());
    }

    @Test
    void aRequiredSmsStepSendsAUserWithoutANumberToRegisterOne() {
        requireSmsForEveryone();

        signInWithPassword("bob");
        assertTrue(onRegistrationPage(), pageText());
        assertTrue(twilio.requests().isEmpty(), "no code before there is a number");
        enterNumber("+14155552694");
        confirmNumber(twilio.lastMessageTo("+14155552694").code());
        assertTrue(signedIn(), pageText());

        // from now on the step asks bob for a code, like everybody else
        newVisitor();
        signInWithPassword("bob");
        assertTrue(onCodePage(), pageText());
        submitCode(twilio.lastMessageTo("+14155552694").code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void aNumberVerifiedByAnotherAccountIsRefusedWithoutSayingWhose() {
        signInWithPassword("dave");
        startPhoneAction();
        enterNumber("+14155552681"); // rita's verified number
        confirmNumber(twilio.lastMessageTo("+14155552681").code());

        assertTrue(onRegistrationPage(), pageText());
        assertTrue(pageText().contains("This phone number cannot be used for your account."), pageText());
        assertFalse(pageText().contains("rita"), pageText());
        assertNull(userAttribute("dave", "phoneNumber"));
        assertEquals("+14155552681", userAttribute("rita", "phoneNumber"));
    }

    @Test
    void aCountryOutsideThePolicyAndAPremiumRateNumberAreRefusedBeforeAnythingIsSent() {
        policy(Map.of("allowedCountries", List.of("US")));
        signInWithPassword("yuri");
        startPhoneAction();

        enterNumber("+4915112345691");
        assertTrue(pageText().contains("This phone number cannot be used here. Use another number."), pageText());

        enterNumber("+19002345679");
        assertTrue(pageText().contains("This phone number cannot be used here. Use another number."), pageText());

        enterNumber("12345");
        assertTrue(pageText().contains("This is not a valid phone number."), pageText());

        assertTrue(twilio.requests().isEmpty());
        assertNull(userAttribute("yuri", "phoneNumber"));
        assertEquals("number_not_allowed", events("yuri", "CUSTOM_REQUIRED_ACTION_ERROR").get(0).getDetails().get("phone_otp_error"));
    }

    @Test
    void changingTheNumberTellsTheOldNumberAndUpdatesTheClaims() throws Exception {
        signInWithPassword("quinn");
        submitCode(twilio.lastMessageTo("+14155552680").code());
        assertTrue(signedIn(), pageText());

        startPhoneAction();
        assertTrue(pageText().contains("+*********80"), "the current number, masked: " + pageText());
        enterNumber("+14155552695");
        assertEquals("+14155552680", userAttribute("quinn", "phoneNumber"), "the old number stays until the code");
        confirmNumber(twilio.lastMessageTo("+14155552695").code());

        assertEquals("success", kcActionStatus());
        assertEquals("+14155552695", userAttribute("quinn", "phoneNumber"));
        FakeTwilio.Recorded notice = twilio.lastMessageTo("+14155552680");
        assertTrue(notice.body().contains("was changed to a number ending in 95"), notice.body());
        assertFalse(notice.body().contains("+14155552695"), "the new number is not spelled out: " + notice.body());
        JsonNode claims = AdminRest.phoneClaims("quinn");
        assertEquals("+14155552695", claims.path("phone_number").asText(), claims.toString());
        assertTrue(claims.path("phone_number_verified").asBoolean());

        // and the next sign-in sends the code to the new number
        newVisitor();
        signInWithPassword("quinn");
        submitCode(twilio.lastMessageTo("+14155552695").code());
        assertTrue(signedIn(), pageText());
    }

    /** Runs {@code test} with the action's max_auth_age at 3 seconds, so that a sign-in gets old quickly. */
    private void withShortMaxAuthAge(ThrowingRunnable test) throws Exception {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(Map.of("max_auth_age", "3"));
        realm.admin().flows().updateRequiredActionConfig("phone-number-config", config);
        try {
            test.run();
        } finally {
            realm.admin().flows().removeRequiredActionConfig("phone-number-config");
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void anApplicationOnAnOldSessionMakesTheUserSignInAgainFirst() throws Exception {
        withShortMaxAuthAge(() -> {
            signInWithPassword("tina");
            submitCode(twilio.lastMessageTo("+14155552682").code());
            assertTrue(signedIn());
            Thread.sleep(4500);

            startPhoneAction();

            assertFalse(onRegistrationPage(), "an old sign-in does not reach the page: " + pageText());
            assertFalse(driver.driver().findElements(By.id("password")).isEmpty(), "Keycloak asks for the password again: " + pageText());
            type("password", "tina-password");
            driver.findElement(By.id("kc-login")).click();
            submitCode(twilio.lastMessageTo("+14155552682").code());
            assertTrue(onRegistrationPage(), pageText());
        });
    }

    @Test
    void anAdministratorsRequestOnAnOldSessionAsksToSignInAgainBeforeChanging() throws Exception {
        withShortMaxAuthAge(() -> {
            signInWithPassword("ken");
            submitCode(twilio.lastMessageTo("+14155552679").code());
            assertTrue(signedIn());
            Thread.sleep(4500);
            var user = realm.admin().users().get(userId("ken"));
            var rep = user.toRepresentation();
            rep.setRequiredActions(List.of("phone-number-config"));
            user.update(rep);

            openAppAgain(); // the SSO session signs ken in, then the action runs

            assertFalse(onRegistrationPage());
            assertTrue(pageText().contains("For your security, sign in again before you change your phone number."), pageText());
            driver.findElement(By.id("phone-otp-sign-in-again")).click();
            type("username", "ken");
            type("password", "ken-password");
            driver.findElement(By.id("kc-login")).click();
            submitCode(twilio.lastMessageTo("+14155552679").code());
            assertTrue(onRegistrationPage(), pageText());
        });
    }

    @Test
    void aSignInWithoutTheSecondFactorCannotReplaceThePhone() {
        // a flow with the password only: a stolen password must not be enough to move the account to another phone
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "DISABLED");
        signInWithPassword("wendy");
        assertTrue(signedIn(), pageText());

        startPhoneAction();

        assertFalse(onRegistrationPage());
        assertTrue(pageText().contains("To change your phone number, sign in again with your second factor"), pageText());
        assertEquals("+14155552683", userAttribute("wendy", "phoneNumber"));
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void useAnotherPhoneNumberFromTheCodePageRegistersItRightAfterTheSignIn() {
        signInWithPassword("carol");
        assertTrue(onCodePage());

        driver.findElement(By.id("phone-otp-another-number")).click();
        assertTrue(pageText().contains("first finish signing in"), "the explanation comes first: " + pageText());
        driver.findElement(By.id("phone-otp-continue")).click();

        assertTrue(onCodePage(), pageText());
        assertTrue(pageText().contains("You can register your new number right after you sign in."), pageText());
        submitCode(twilio.lastMessageTo("+14155552672").code());

        assertTrue(onRegistrationPage(), pageText());
        enterNumber("+14155552696");
        confirmNumber(twilio.lastMessageTo("+14155552696").code());
        assertTrue(signedIn(), pageText());
        assertEquals("+14155552696", userAttribute("carol", "phoneNumber"));
    }

    @Test
    void anOptionalRegistrationCanBeCancelledAndChangesNothing() {
        smsStepConfig(Map.of("showInfoBeforeRegistration", "false"));
        signInWithPassword("judy");

        driver.findElement(By.id("phone-otp-another-number")).click(); // straight on, no explanation page
        assertTrue(pageText().contains("You can register your new number right after you sign in."), pageText());
        submitCode(twilio.lastMessageTo("+14155552678").code());
        assertTrue(onRegistrationPage(), pageText());
        enterNumber("+14155552697");

        driver.findElement(By.id("phone-otp-cancel")).click();

        assertTrue(signedIn(), pageText());
        assertEquals("+14155552678", userAttribute("judy", "phoneNumber"));
    }

    @Test
    void theLinkIsHiddenWhenTheStepDoesNotAllowRegistration() {
        smsStepConfig(Map.of("allowRegistrationDuringLogin", "false"));
        signInWithPassword("alice");

        assertTrue(onCodePage());
        assertTrue(driver.driver().findElements(By.id("phone-otp-another-number")).isEmpty());
    }

    @Test
    void anAdministratorsChangeOfTheNumberIsNormalizedAndNoLongerVerified() throws Exception {
        signInWithPassword("erin");
        submitCode(twilio.lastMessageTo("+14155552673").code());
        assertEquals("true", userAttribute("erin", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("erin").contains("phone-otp"));

        setAttribute("erin", "phoneNumber", "+1 (415) 555-2698");

        assertEquals("+14155552698", userAttribute("erin", "phoneNumber"));
        assertNotEquals("true", userAttribute("erin", "phoneNumberVerified"));
        assertFalse(storedCredentialTypes("erin").contains("phone-otp"));
        assertFalse(AdminRest.phoneClaims("erin").path("phone_number_verified").asBoolean());

        // the same checks as everywhere: invalid, premium rate, and another account's verified number
        for (String refused : List.of("12345", "+19002345679", "+14155552681")) {
            var user = realm.admin().users().get(userId("erin")).toRepresentation();
            user.singleAttribute("phoneNumber", refused);
            var response = AdminRest.put("/admin/realms/" + REALM + "/users/" + user.getId(), admin(),
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(user));
            assertEquals(400, response.statusCode(), refused + ": " + response.body());
            assertTrue(response.body().contains("phoneOtp"), response.body());
        }
        assertEquals("+14155552698", userAttribute("erin", "phoneNumber"));

        // removing the number removes its verified state too
        setAttribute("erin", "phoneNumberVerified", "true");
        setAttribute("erin", "phoneNumber", "");
        assertEquals(null, userAttribute("erin", "phoneNumber"));
        assertEquals(null, userAttribute("erin", "phoneNumberVerified"));
    }

    @Test
    void theRegistrationPagesWorkUnderTheLegacyKeycloakTheme() {
        var rep = realm.admin().toRepresentation();
        rep.setLoginTheme("keycloak");
        realm.admin().update(rep);
        try {
            signInWithPassword("zoe");
            startPhoneAction();
            assertTrue(driver.driver().getPageSource().contains("/login/keycloak/"), "rendered by the legacy theme");
            enterNumber("12");
            assertTrue(pageText().contains("This is not a valid phone number."), pageText());
            enterNumber("+14155552685");
            assertTrue(pageText().contains("Once you confirm, +14155552685 is saved as your phone number."), pageText());
            confirmNumber(twilio.lastMessageTo("+14155552685").code());
            assertEquals("success", kcActionStatus());
        } finally {
            rep.setLoginTheme(null);
            realm.admin().update(rep);
        }
    }

    @Test
    void theUserMayAskForACallInstead() {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(Map.of("resendCooldownSeconds", "0"));
        realm.admin().flows().updateRequiredActionConfig("phone-number-config", config);
        try {
            signInWithPassword("nobody");
            startPhoneAction();
            enterNumber("+14155552686");
            switchChannel();

            assertTrue(pageText().contains("We are calling +14155552686 to read you a code."), pageText());
            confirmNumber(twilio.lastCallTo("+14155552686").spokenCode());
            assertEquals("success", kcActionStatus());
            assertEquals("+14155552686", userAttribute("nobody", "phoneNumber"));
            assertEquals("voice", events("nobody", "CUSTOM_REQUIRED_ACTION").get(0).getDetails().get("phone_otp_channel"));
        } finally {
            realm.admin().flows().removeRequiredActionConfig("phone-number-config");
        }
    }

    @Test
    void aUserAnAdministratorCreatesWithANationalNumberGetsItInE164() {
        policy(Map.of("defaultCountry", "US"));
        var user = new org.keycloak.representations.idm.UserRepresentation();
        user.setUsername("created-by-admin");
        user.setEnabled(true);
        user.singleAttribute("phoneNumber", "(415) 555-2687");
        realm.admin().users().create(user).close();

        assertEquals("+14155552687", userAttribute("created-by-admin", "phoneNumber"));
        assertNotEquals("true", userAttribute("created-by-admin", "phoneNumberVerified"));
    }
}
