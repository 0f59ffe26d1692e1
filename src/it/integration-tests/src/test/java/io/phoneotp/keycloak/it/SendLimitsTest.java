package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits that hold across sign-ins: an attacker who opens a new login session for every code
 * still runs into them. The fake Twilio's record proves that no extra code went out.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SendLimitsTest extends PhoneOtpTestBase {

    static final Pattern TOO_MANY = Pattern.compile("Too many codes were requested\\. Try again in (\\d+) minutes\\.");

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    @Test
    void thePerNumberLimitHoldsAcrossFreshSignIns() {
        policy(Map.of("maxSendsPerNumberPerHour", 2));
        String ivan = "+14155552677";

        for (int signIn = 1; signIn <= 2; signIn++) {
            startFresh();
            signInWithPassword("ivan");
            assertEquals(1, twilio.messagesTo(ivan).size(), "sign-in " + signIn + " sends its code");
        }
        startFresh();
        signInWithPassword("ivan");

        assertRateLimited("ivan", "number");
        assertTrue(twilio.requests().isEmpty(), "the third sign-in sends nothing");

        // and the other channel counts toward the same limit
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
        startFresh();
        signInWithPassword("ivan");
        assertRateLimited("ivan", "number");
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void thePerUserLimitHoldsEvenWhenTheNumberChanges() {
        policy(Map.of("maxSendsPerUserPerHour", 2));
        for (String number : List.of("+14155552686", "+14155552687")) {
            setAttribute("judy", "phoneNumber", number);
            startFresh();
            signInWithPassword("judy");
            assertEquals(1, twilio.messagesTo(number).size());
        }
        setAttribute("judy", "phoneNumber", "+14155552688");
        startFresh();
        signInWithPassword("judy");

        assertRateLimited("judy", "user");
        assertTrue(twilio.requests().isEmpty());
    }

    @Test
    void eachResendInOneSignInWaitsLonger() {
        smsStepConfig(Map.of("maxSends", "5"));
        signInWithPassword("alice");
        List<Integer> waits = new java.util.ArrayList<>(List.of(shownWait()));
        for (int i = 0; i < 3; i++) {
            codePage.resend();
            assertTrue(pageText().matches("(?s).*Please wait \\d+ seconds before asking for a new code.*"), "not before the wait is over: " + pageText());
            timeOffSet.set(timeOffSet.get() + waits.get(waits.size() - 1));
            codePage.resend();
            assertTrue(pageText().contains("A new code is on its way."), pageText());
            waits.add(shownWait());
        }
        assertEquals(List.of(30, 60, 120, 240), waits, "the realm's cooldown of 30 seconds doubles with each code");
        assertEquals(4, twilio.messagesTo(SmsSecondFactorTest.ALICE).size());
    }

    @Test
    void countriesOutsideTheAllowedListGetNoCodeOnEitherChannel() {
        policy(Map.of("allowedCountries", List.of("US")));
        signInWithPassword("hans");
        assertNumberRefused("hans", "country_not_allowed", GERMAN_REFUSAL);

        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
        startFresh();
        signInWithPassword("hans");
        assertNumberRefused("hans", "country_not_allowed", GERMAN_REFUSAL);

        policy(Map.of("allowedCountries", List.of()));
        startFresh();
        signInWithPassword("hans");
        assertEquals(1, twilio.callsTo("+4915112345678").size(), "allowed again");
    }

    @Test
    void premiumRateNumbersGetNoCodeOnEitherChannel() {
        signInWithPassword("mallory");
        assertNumberRefused("mallory", "number_type_blocked", REFUSAL);

        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
        startFresh();
        signInWithPassword("mallory");
        assertNumberRefused("mallory", "number_type_blocked", REFUSAL);
    }

    @Test
    void afterOneHundredWrongCodesTheAccountTakesNoCodeUntilAnAdministratorResetsIt() {
        smsStepConfig(Map.of("maxAttempts", "100"));
        signInWithPassword("ken");
        String code = twilio.lastMessageTo("+14155552679").code();
        String wrong = SmsSecondFactorTest.wrong(code);
        for (int i = 0; i < 100; i++) {
            codePage.submitCode(wrong);
        }

        startFresh();
        signInWithPassword("ken");
        assertTrue(pageText().contains("your account is locked. Contact your administrator."), pageText());
        assertTrue(twilio.requests().isEmpty(), "a locked account gets no code");
        codePage.submitCode(code);
        assertFalse(signedIn());

        realm.admin().attackDetection().clearBruteForceForUser(userId("ken"));
        startFresh();
        signInWithPassword("ken");
        codePage.submitCode(twilio.lastMessageTo("+14155552679").code());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void thePolicyIsValidatedAndReadBack() throws Exception {
        String token = admin();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var bad : List.of(Map.of("allowedCountries", List.of("XX")), Map.of("blockedNumberTypes", List.of("EXPENSIVE")),
                Map.of("maxSendsPerIpPerHour", 0), Map.of("defaultCountry", "Germany"))) {
            assertRefused(POLICY, json.writeValueAsString(bad), bad.keySet().iterator().next());
        }
        policy(Map.of("defaultCountry", "de", "allowedCountries", List.of("DE", "AT")));
        var read = json.readTree(AdminRest.get(POLICY, token).body());
        assertEquals("DE", read.get("defaultCountry").asText());
        assertEquals(2, read.get("allowedCountries").size());
        assertEquals(403, AdminRest.put(POLICY, userToken("viewer"), "{}").statusCode());
        assertEquals(200, AdminRest.get(POLICY, userToken("viewer")).statusCode());
    }

    private void assertRateLimited(String username, String scope) {
        Matcher m = TOO_MANY.matcher(pageText());
        assertTrue(m.find(), pageText());
        int minutes = Integer.parseInt(m.group(1));
        assertTrue(minutes >= 1 && minutes <= 60, "minutes until the hour's window ends: " + minutes);
        EventRepresentation event = lastEvent(username, EventType.LOGIN_ERROR);
        assertEquals("rate_limited", event.getDetails().get("phone_otp_error"));
        assertEquals(scope, event.getDetails().get("phone_otp_reason"));
    }

    static final String REFUSAL = "Codes cannot be sent to this phone number.";
    static final String GERMAN_REFUSAL = "An diese Telefonnummer k\u00f6nnen keine Codes gesendet werden.";

    private void assertNumberRefused(String username, String reason, String message) {
        assertTrue(pageText().contains(message), pageText());
        assertFalse(codePage.saysCodeWasSent(), "no claim that a code was sent");
        assertTrue(twilio.requests().isEmpty());
        EventRepresentation event = lastEvent(username, EventType.LOGIN_ERROR);
        assertEquals("number_not_allowed", event.getDetails().get("phone_otp_error"));
        assertEquals(reason, event.getDetails().get("phone_otp_reason"));
    }

    /** The wait the code page shows before another code may be asked for. */
    private int shownWait() {
        assertTrue(pageText().contains("You can ask for a new code in"), pageText());
        return codePage.resendWaitSeconds();
    }
}
