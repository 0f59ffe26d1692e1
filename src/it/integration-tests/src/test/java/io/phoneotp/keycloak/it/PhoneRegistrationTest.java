package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.openqa.selenium.By;

import java.time.Duration;
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

    /** Longer than the action's max_auth_age, Keycloak's default of five minutes: a sign-in this old must be repeated before a change. */
    static final Duration OLDER_THAN_MAX_AUTH_AGE = Duration.ofMinutes(5).plusSeconds(10);

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    @Test
    void anApplicationStartsRegistrationAndGetsTheStatusAndTheClaimsBack() throws Exception {
        policy(Map.of("defaultCountry", "US"));
        signInWithPassword("paul");
        assertTrue(signedIn(), pageText());

        startPhoneAction();
        assertTrue(registrationPage.isCurrent(), pageText());
        registrationPage.enterNumber("(415) 555-2690"); // national format, read with the policy's defaultCountry

        assertTrue(pageText().contains("+14155552690"), "the page shows the number as it will be saved: " + pageText());
        FakeTwilio.Recorded sms = twilio.lastMessageTo("+14155552690");
        assertTrue(sms.body().startsWith("Phone OTP Test: your code to confirm this phone number is " + sms.code()), sms.body());
        assertNull(userAttribute("paul", "phoneNumber"), "nothing is saved before the code");

        registrationPage.confirm(sms.code());

        assertEquals("success", kcActionStatus(), driver.getCurrentUrl());
        assertEquals("+14155552690", userAttribute("paul", "phoneNumber"));
        assertEquals("true", userAttribute("paul", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("paul").contains("phone-otp"), storedCredentialTypes("paul").toString());
        AccessToken claims = phoneClaims("paul");
        assertEquals("+14155552690", claims.getPhoneNumber());
        assertEquals(Boolean.TRUE, claims.getPhoneNumberVerified());

        var event = lastEvent("paul", EventType.CUSTOM_REQUIRED_ACTION);
        assertEquals("phone-number-config", event.getDetails().get("custom_required_action"));
        assertEquals("+*********90", event.getDetails().get("phone_otp_phone"));
        assertEquals("sms", event.getDetails().get("phone_otp_channel"));
    }

    @Test
    void aWrongCodeSavesNothingAndCancellingTellsTheApplication() {
        signInWithPassword("victor");
        startPhoneAction();
        registrationPage.enterNumber("+14155552691");
        String code = twilio.lastMessageTo("+14155552691").code();

        registrationPage.confirm(SmsSecondFactorTest.wrong(code));

        assertTrue(registrationPage.isCurrent(), pageText());
        assertTrue(pageText().contains("That code is not right. Attempts left: 2."), pageText());
        assertNull(userAttribute("victor", "phoneNumber"));
        assertEquals("invalid_code", lastEvent("victor", EventType.CUSTOM_REQUIRED_ACTION_ERROR).getDetails().get("phone_otp_error"));

        registrationPage.cancelApplicationAction();

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

        registrationPage.enterNumber("+14155552692");

        assertTrue(registrationPage.isCurrent(), pageText());
        assertTrue(pageText().contains("This is not a valid phone number."), pageText());
        assertEquals("+14155552692", registrationPage.typedNumber(), "what the user typed stays");
        assertNull(userAttribute("xena", "phoneNumber"));

        registrationPage.enterNumber("+14155552693"); // the user corrects the number and goes on
        registrationPage.confirm(twilio.lastMessageTo("+14155552693").code());
        assertEquals("success", kcActionStatus());
        assertEquals("+14155552693", userAttribute("xena", "phoneNumber"));
    }

    @Test
    void anAdministratorAddsTheActionAndTheUserRegistersAtTheNextSignIn() {
        requireAction("sam");

        signInWithPassword("sam");
        assertTrue(registrationPage.isCurrent(), pageText());
        assertFalse(registrationPage.offersCancel(), "a required registration cannot be cancelled");
        registrationPage.enterNumber("+4915112345690");
        registrationPage.confirm(twilio.lastMessageTo("+4915112345690").code());

        assertTrue(signedIn(), pageText());
        assertEquals("+4915112345690", userAttribute("sam", "phoneNumber"));
        assertTrue(realm.admin().users().get(userId("sam")).toRepresentation().getRequiredActions().isEmpty());
    }

    @Test
    void aRequiredSmsStepSendsAUserWithoutANumberToRegisterOne() {
        requireSmsForEveryone();

        signInWithPassword("bob");
        assertTrue(registrationPage.isCurrent(), pageText());
        assertTrue(twilio.requests().isEmpty(), "no code before there is a number");
        registrationPage.enterNumber("+14155552694");
        registrationPage.confirm(twilio.lastMessageTo("+14155552694").code());
        assertTrue(signedIn(), pageText());

        // from now on the step asks bob for a code, like everybody else
        newVisitor();
        signInWithPassword("bob");
        assertTrue(codePage.isCurrent(), pageText());
        codePage.submitCode(twilio.lastMessageTo("+14155552694").code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void aNumberVerifiedByAnotherAccountIsRefusedWithoutSayingWhose() {
        signInWithPassword("dave");
        startPhoneAction();
        registrationPage.enterNumber("+14155552681"); // rita's verified number
        registrationPage.confirm(twilio.lastMessageTo("+14155552681").code());

        assertTrue(registrationPage.isCurrent(), pageText());
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

        registrationPage.enterNumber("+4915112345691");
        assertTrue(pageText().contains("This phone number cannot be used here. Use another number."), pageText());

        registrationPage.enterNumber("+19002345679");
        assertTrue(pageText().contains("This phone number cannot be used here. Use another number."), pageText());

        registrationPage.enterNumber("12345");
        assertTrue(pageText().contains("This is not a valid phone number."), pageText());

        assertTrue(twilio.requests().isEmpty());
        assertNull(userAttribute("yuri", "phoneNumber"));
        assertEquals("number_not_allowed", lastEvent("yuri", EventType.CUSTOM_REQUIRED_ACTION_ERROR).getDetails().get("phone_otp_error"));
    }

    @Test
    void changingTheNumberTellsTheOldNumberAndUpdatesTheClaims() throws Exception {
        signInWithPassword("quinn");
        codePage.submitCode(twilio.lastMessageTo("+14155552680").code());
        assertTrue(signedIn(), pageText());

        startPhoneAction();
        assertTrue(pageText().contains("+*********80"), "the current number, masked: " + pageText());
        registrationPage.enterNumber("+14155552695");
        assertEquals("+14155552680", userAttribute("quinn", "phoneNumber"), "the old number stays until the code");
        registrationPage.confirm(twilio.lastMessageTo("+14155552695").code());

        assertEquals("success", kcActionStatus());
        assertEquals("+14155552695", userAttribute("quinn", "phoneNumber"));
        FakeTwilio.Recorded notice = twilio.lastMessageTo("+14155552680");
        assertTrue(notice.body().contains("was changed to a number ending in 95"), notice.body());
        assertFalse(notice.body().contains("+14155552695"), "the new number is not spelled out: " + notice.body());
        AccessToken claims = phoneClaims("quinn");
        assertEquals("+14155552695", claims.getPhoneNumber());
        assertEquals(Boolean.TRUE, claims.getPhoneNumberVerified());

        // and the next sign-in sends the code to the new number
        newVisitor();
        signInWithPassword("quinn");
        codePage.submitCode(twilio.lastMessageTo("+14155552695").code());
        assertTrue(signedIn(), pageText());
    }

    /** What an administrator does to make the user (re)register their number at the next sign-in. */
    private void requireAction(String username) {
        var user = realm.admin().users().get(userId(username));
        var rep = user.toRepresentation();
        rep.setRequiredActions(List.of("phone-number-config"));
        user.update(rep);
    }

    @Test
    void anApplicationOnAnOldSessionMakesTheUserSignInAgainFirst() {
        signInWithPassword("tina");
        codePage.submitCode(twilio.lastMessageTo("+14155552682").code());
        assertTrue(signedIn(), pageText());
        timeOffSet.set(OLDER_THAN_MAX_AUTH_AGE);

        startPhoneAction();

        assertFalse(registrationPage.isCurrent(), "an old sign-in does not reach the page: " + pageText());
        assertFalse(driver.driver().findElements(By.id("password")).isEmpty(), "Keycloak asks for the password again: " + pageText());
        loginPage.fillPassword("tina-password");
        loginPage.submit();
        codePage.submitCode(twilio.lastMessageTo("+14155552682").code());
        assertTrue(registrationPage.isCurrent(), pageText());
    }

    @Test
    void anAdministratorsRequestOnAnOldSessionAsksToSignInAgainBeforeChanging() {
        signInWithPassword("ken");
        codePage.submitCode(twilio.lastMessageTo("+14155552679").code());
        assertTrue(signedIn(), pageText());
        timeOffSet.set(OLDER_THAN_MAX_AUTH_AGE);
        requireAction("ken");

        openAppAgain(); // the SSO session signs ken in, then the action runs

        assertFalse(registrationPage.isCurrent(), pageText());
        assertTrue(noticePage.notice().contains("For your security, sign in again before you change your phone number."), pageText());
        noticePage.signInAgain();
        loginPage.fillLogin("ken", "ken-password");
        loginPage.submit();
        codePage.submitCode(twilio.lastMessageTo("+14155552679").code());
        assertTrue(registrationPage.isCurrent(), pageText());
    }

    @Test
    void aSignInWithoutTheSecondFactorCannotReplaceThePhone() {
        // a flow with the password only: a stolen password must not be enough to move the account to another phone
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "DISABLED");
        signInWithPassword("wendy");
        assertTrue(signedIn(), pageText());

        startPhoneAction();

        assertFalse(registrationPage.isCurrent(), pageText());
        assertTrue(noticePage.notice().contains("To change your phone number, sign in again with your second factor"), pageText());
        assertEquals("+14155552683", userAttribute("wendy", "phoneNumber"));
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void useAnotherPhoneNumberFromTheCodePageRegistersItRightAfterTheSignIn() {
        signInWithPassword("carol");
        assertTrue(codePage.isCurrent(), pageText());

        codePage.useAnotherNumber();
        assertTrue(noticePage.notice().contains("first finish signing in"), "the explanation comes first: " + pageText());
        noticePage.continueOn();

        assertTrue(codePage.isCurrent(), pageText());
        assertTrue(pageText().contains("You can register your new number right after you sign in."), pageText());
        codePage.submitCode(twilio.lastMessageTo("+14155552672").code());

        assertTrue(registrationPage.isCurrent(), pageText());
        registrationPage.enterNumber("+14155552696");
        registrationPage.confirm(twilio.lastMessageTo("+14155552696").code());
        assertTrue(signedIn(), pageText());
        assertEquals("+14155552696", userAttribute("carol", "phoneNumber"));
    }

    @Test
    void anOptionalRegistrationCanBeCancelledAndChangesNothing() {
        smsStepConfig(Map.of("showInfoBeforeRegistration", "false"));
        signInWithPassword("judy");

        codePage.useAnotherNumber(); // straight on, no explanation page
        assertTrue(pageText().contains("You can register your new number right after you sign in."), pageText());
        codePage.submitCode(twilio.lastMessageTo("+14155552678").code());
        assertTrue(registrationPage.isCurrent(), pageText());
        registrationPage.enterNumber("+14155552697");

        registrationPage.cancel();

        assertTrue(signedIn(), pageText());
        assertEquals("+14155552678", userAttribute("judy", "phoneNumber"));
    }

    @Test
    void theLinkIsHiddenWhenTheStepDoesNotAllowRegistration() {
        smsStepConfig(Map.of("allowRegistrationDuringLogin", "false"));
        signInWithPassword("alice");

        assertTrue(codePage.isCurrent(), pageText());
        assertFalse(codePage.offersAnotherNumber());
    }

    @Test
    void anAdministratorsChangeOfTheNumberIsNormalizedAndNoLongerVerified() throws Exception {
        signInWithPassword("erin");
        codePage.submitCode(twilio.lastMessageTo("+14155552673").code());
        assertEquals("true", userAttribute("erin", "phoneNumberVerified"));
        assertTrue(storedCredentialTypes("erin").contains("phone-otp"));

        setAttribute("erin", "phoneNumber", "+1 (415) 555-2698");

        assertEquals("+14155552698", userAttribute("erin", "phoneNumber"));
        assertNotEquals("true", userAttribute("erin", "phoneNumberVerified"));
        assertFalse(storedCredentialTypes("erin").contains("phone-otp"));
        assertNotEquals(Boolean.TRUE, phoneClaims("erin").getPhoneNumberVerified());

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
            registrationPage.enterNumber("12");
            assertTrue(pageText().contains("This is not a valid phone number."), pageText());
            registrationPage.enterNumber("+14155552685");
            assertTrue(pageText().contains("Once you confirm, +14155552685 is saved as your phone number."), pageText());
            registrationPage.confirm(twilio.lastMessageTo("+14155552685").code());
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
            registrationPage.enterNumber("+14155552686");
            registrationPage.switchChannel();

            assertTrue(pageText().contains("We are calling +14155552686 to read you a code."), pageText());
            registrationPage.confirm(twilio.lastCallTo("+14155552686").spokenCode());
            assertEquals("success", kcActionStatus());
            assertEquals("+14155552686", userAttribute("nobody", "phoneNumber"));
            assertEquals("voice", lastEvent("nobody", EventType.CUSTOM_REQUIRED_ACTION).getDetails().get("phone_otp_channel"));
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
