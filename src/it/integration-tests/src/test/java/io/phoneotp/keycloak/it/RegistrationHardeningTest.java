package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tried against phone registration: reposting the number to reset its limits,
 * and making the notice to a replaced number go where it must not.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class RegistrationHardeningTest extends PhoneOtpTestBase {

    private static final String LOGIN = RawVisitor.LOGIN;

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    @AfterEach
    void removeActionConfig() {
        realm.admin().flows().removeRequiredActionConfig("phone-number-config");
    }

    @Test
    void aSecondFactorPassedLongerAgoThanMaxAuthAgeDoesNotAllowAChange() {
        signInWithPassword("quinn"); // the realm's browser flow: the password, then the code for a verified number
        codePage.submitCode(twilio.lastMessageTo("+14155552680").code());
        assertTrue(signedIn(), pageText());

        timeOffSet.set(Duration.ofSeconds(400)); // past max_auth_age (300 s): the code was passed too long ago
        ClientRepresentation app = oauth.clientResource().toRepresentation();
        app.setAuthenticationFlowBindingOverrides(Map.of("browser", passwordOnlyFlowId())); // an application that asks for the password alone
        oauth.clientResource().update(app);
        try {
            oauth.loginForm().prompt("login").kcAction("phone-number-config").open();
            loginPage.fillLogin("quinn", "quinn-password"); // this flow asks for both
            loginPage.submit();

            assertFalse(registrationPage.isCurrent(), "a second factor passed long ago is no second factor: " + pageText());
            assertTrue(pageText().contains("To change your phone number, sign in again with your second factor"), pageText());
            assertEquals("+14155552680", userAttribute("quinn", "phoneNumber"));
        } finally {
            app.setAuthenticationFlowBindingOverrides(Map.of("browser", "")); // an empty value removes the override
            oauth.clientResource().update(app);
        }
    }

    /** A top-level flow with the password form alone. */
    private String passwordOnlyFlowId() {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias("password only");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        realm.admin().flows().createFlow(flow).close();
        realm.admin().flows().addExecution("password only", Map.of("provider", "auth-username-password-form"));
        var execution = realm.admin().flows().getExecutions("password only").get(0);
        execution.setRequirement("REQUIRED");
        realm.admin().flows().updateExecutions("password only", execution);
        return realm.admin().flows().getFlows().stream().filter(f -> "password only".equals(f.getAlias())).findFirst().orElseThrow().getId();
    }

    @Test
    void postingTheNumberAgainDoesNotResetTheRegistrationsLimits() {
        RequiredActionConfigRepresentation config = new RequiredActionConfigRepresentation();
        config.setConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "3"));
        realm.admin().flows().updateRequiredActionConfig("phone-number-config", config);

        RawVisitor attacker = new RawVisitor().open(LOGIN + "&kc_action=phone-number-config")
                .submit("kc-form-login", Map.of("username", "bob", "password", "bob-password"));
        for (int i = 0; i < 7; i++) { // the same number, and another one, posted again and again
            attacker.submit("phone-otp-register-form", Map.of("phoneNumber", i % 2 == 0 ? "+14155550111" : "+14155550112"));
        }

        assertEquals(3, twilio.requests().size(), "maxSends holds for the whole sign-in: " + twilio.requests());
        assertTrue(attacker.page().contains("No more codes can be sent in this sign-in."), attacker.page());
        assertEquals(null, userAttribute("bob", "phoneNumber"));
    }

    @Test
    void postingTheNumberAgainWaitsForTheCooldown() {
        RawVisitor attacker = new RawVisitor().open(LOGIN + "&kc_action=phone-number-config")
                .submit("kc-form-login", Map.of("username", "sam", "password", "sam-password"));
        for (int i = 0; i < 5; i++) {
            attacker.submit("phone-otp-register-form", Map.of("phoneNumber", "+14155550113"));
        }

        assertEquals(1, twilio.messagesTo("+14155550113").size(), "one code until the cooldown is over");
        assertTrue(attacker.page().matches("(?s).*Please wait \\d+ seconds before asking for a new code.*"), attacker.page());
    }

    @Test
    void aReplacedNumberThatWasNeverVerifiedIsNotTold() {
        requirement(FORMS_FLOW, SECOND_FACTOR_FLOW, "DISABLED"); // erin's number is not verified: the password is her only factor
        signInWithPassword("erin");
        startPhoneAction();
        registrationPage.enterNumber("+14155550166");
        registrationPage.confirm(twilio.lastMessageTo("+14155550166").code());

        assertEquals("success", kcActionStatus(), driver.getCurrentUrl());
        assertEquals("+14155550166", userAttribute("erin", "phoneNumber"));
        assertTrue(twilio.messagesTo("+14155552673").isEmpty(), "nobody proved +14155552673 was erin's: " + twilio.requests());
    }

    @Test
    void theNoticeToTheReplacedNumberFollowsThePolicy() {
        setAttribute("hans", "phoneNumber", "+4915112345678");
        setAttribute("hans", "phoneNumberVerified", "true");
        signInWithPassword("hans");
        codePage.submitCode(twilio.lastMessageTo("+4915112345678").code());
        assertTrue(signedIn(), pageText());

        policy(Map.of("allowedCountries", java.util.List.of("US")));
        startPhoneAction();
        registrationPage.enterNumber("+14155550167");
        registrationPage.confirm(twilio.lastMessageTo("+14155550167").code());

        assertEquals("success", kcActionStatus(), driver.getCurrentUrl());
        assertEquals(1, twilio.messagesTo("+4915112345678").size(), "only the sign-in code, no notice to a country outside the policy");
    }
}
