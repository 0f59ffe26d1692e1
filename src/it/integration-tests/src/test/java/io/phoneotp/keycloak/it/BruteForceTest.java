package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong codes count toward Keycloak's brute-force detection, without a phantom authenticator in the Account Console. */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class BruteForceTest extends PhoneOtpTestBase {

    static final String CAROL = "+14155552672";

    @AfterEach
    void bruteForceOff() {
        realm.admin().attackDetection().clearAllBruteForce();
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setBruteForceProtected(false);
        realm.admin().update(rep);
    }

    @Test
    void wrongCodesLockTheUserAndTheLockedUserIsToldSo() throws InterruptedException {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setBruteForceProtected(true);
        rep.setFailureFactor(3);
        rep.setWaitIncrementSeconds(120);
        rep.setMaxFailureWaitSeconds(900);
        rep.setPermanentLockout(false);
        rep.setQuickLoginCheckMilliSeconds(1L); // typing fast is not what this test is about
        realm.admin().update(rep);
        smsStepConfig(Map.of("maxAttempts", "10"));

        signInWithPassword("carol");
        String code = twilio.lastMessageTo(CAROL).code();
        submitCode(SmsSecondFactorTest.wrong(code));
        submitCode(SmsSecondFactorTest.wrong(code));
        assertTrue(pageText().contains("That code is not right. Attempts left: 8."), pageText());
        submitCode(SmsSecondFactorTest.wrong(code));

        Map<String, Object> status = lockStatus("carol");
        assertEquals(Boolean.TRUE, status.get("disabled"), status.toString());
        assertEquals(3, ((Number) status.get("numFailures")).intValue(), "each wrong code is one failure: " + status);

        submitCode(code);
        assertFalse(signedIn(), "a locked user gets in with no code");
        assertTrue(pageText().contains("your account is locked for a while"), pageText());
    }

    /** Keycloak records failures on its own executor: wait until the third one is in. */
    private Map<String, Object> lockStatus(String username) throws InterruptedException {
        Map<String, Object> status = Map.of();
        for (int i = 0; i < 50; i++) {
            status = realm.admin().attackDetection().bruteForceUserStatus(userId(username));
            if (Boolean.TRUE.equals(status.get("disabled"))) {
                break;
            }
            Thread.sleep(100);
        }
        return status;
    }

    @Test
    void wrongCodesAreNotCountedWhenTheRealmHasBruteForceDetectionOff() throws InterruptedException {
        signInWithPassword("carol");
        String code = twilio.lastMessageTo(CAROL).code();
        submitCode(SmsSecondFactorTest.wrong(code));
        Thread.sleep(500); // a failure, were it counted, would be recorded by now

        Map<String, Object> status = realm.admin().attackDetection().bruteForceUserStatus(userId("carol"));
        assertEquals(0, ((Number) status.get("numFailures")).intValue(), status.toString());
        submitCode(code);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theAccountConsoleListsNoPhantomAuthenticatorApplication() throws Exception {
        // With Keycloak's own OTP form out of the flows, nothing may make the console offer "Authenticator Application".
        requirement(SECOND_FACTOR_FLOW, "auth-otp-form", "DISABLED");

        String token = AdminRest.userToken("alice");
        var response = AdminRest.get("/realms/" + REALM + "/account/credentials", token);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode types = new ObjectMapper().readTree(response.body());
        assertTrue(types.isArray() && types.size() > 0, response.body());

        for (JsonNode type : types) {
            assertFalse("otp".equals(type.get("type").asText()), "phantom otp credential type listed: " + types);
        }
    }
}
