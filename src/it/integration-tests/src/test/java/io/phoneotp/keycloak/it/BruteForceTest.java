package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** Keycloak's brute-force detection as an administrator sets it up: three failures lock for two minutes. */
    private void bruteForceDetection(boolean on) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        rep.setBruteForceProtected(on);
        rep.setFailureFactor(3);
        rep.setWaitIncrementSeconds(120);
        rep.setMaxFailureWaitSeconds(900);
        rep.setPermanentLockout(false);
        rep.setQuickLoginCheckMilliSeconds(1L); // typing fast is not what these tests are about
        realm.admin().update(rep);
    }

    @Test
    void wrongCodesLockTheUserAndTheLockedUserIsToldSo() {
        bruteForceDetection(true);
        smsStepConfig(Map.of("maxAttempts", "10"));

        signInWithPassword("carol");
        String code = twilio.lastMessageTo(CAROL).code();
        codePage.submitCode(SmsSecondFactorTest.wrong(code));
        codePage.submitCode(SmsSecondFactorTest.wrong(code));
        assertTrue(pageText().contains("That code is not right. Attempts left: 8."), pageText());
        codePage.submitCode(SmsSecondFactorTest.wrong(code));

        Map<String, Object> status = lockedStatus("carol");
        assertEquals(3, ((Number) status.get("numFailures")).intValue(), "each wrong code is one failure: " + status);

        codePage.submitCode(code);
        assertFalse(signedIn(), "a locked user gets in with no code");
        assertTrue(pageText().contains("your account is locked for a while"), pageText());
    }

    /** The administrator's view of a user that Keycloak has locked; it records failures on its own executor, so this waits for the lock. */
    private Map<String, Object> lockedStatus(String username) {
        String id = userId(username);
        return Poll.until(Duration.ofSeconds(5), username + " is not locked",
                () -> Optional.of(realm.admin().attackDetection().bruteForceUserStatus(id)).filter(s -> Boolean.TRUE.equals(s.get("disabled"))));
    }

    @Test
    void wrongCodesAreNotCountedWhenTheRealmHasBruteForceDetectionOff() {
        bruteForceDetection(false);
        smsStepConfig(Map.of("maxAttempts", "10"));
        signInWithPassword("carol");
        String code = twilio.lastMessageTo(CAROL).code();
        for (int i = 0; i < 3; i++) { // enough to lock, were they counted
            codePage.submitCode(SmsSecondFactorTest.wrong(code));
        }

        // The administrator turns detection on: failures counted while it was off would lock carol now.
        bruteForceDetection(true);
        Map<String, Object> status = realm.admin().attackDetection().bruteForceUserStatus(userId("carol"));
        assertEquals(Boolean.FALSE, status.get("disabled"), status.toString());
        codePage.submitCode(code);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void theAccountConsoleListsNoPhantomAuthenticatorApplication() throws Exception {
        // Take Keycloak's own OTP steps out of every flow: only a phantom could still make the
        // Account Console offer "Authenticator Application" (credential type otp).
        String token = userToken("alice", "account-test"); // before the direct-grant flow loses its OTP step
        List<Runnable> restore = new ArrayList<>();
        for (AuthenticationFlowRepresentation flow : realm.admin().flows().getFlows()) {
            for (AuthenticationExecutionInfoRepresentation execution : realm.admin().flows().getExecutions(flow.getAlias())) {
                if (execution.getProviderId() != null && KEYCLOAK_OTP_STEPS.contains(execution.getProviderId())
                        && !"DISABLED".equals(execution.getRequirement())) {
                    String previous = execution.getRequirement();
                    execution.setRequirement("DISABLED");
                    realm.admin().flows().updateExecutions(flow.getAlias(), execution);
                    restore.add(() -> {
                        execution.setRequirement(previous);
                        realm.admin().flows().updateExecutions(flow.getAlias(), execution);
                    });
                }
            }
        }
        try {
            assertFalse(credentialTypes(token).contains("otp"), "phantom Authenticator Application listed");
        } finally {
            restore.forEach(Runnable::run);
        }
        assertTrue(credentialTypes(token).contains("otp"), "with Keycloak's OTP form back, the check sees it");
    }

    private static final Set<String> KEYCLOAK_OTP_STEPS = Set.of("auth-otp-form", "direct-grant-validate-otp", "reset-otp");

    private List<String> credentialTypes(String token) throws Exception {
        var response = AdminRest.get("/realms/" + REALM + "/account/credentials", token);
        assertEquals(200, response.statusCode(), response.body());
        List<String> types = new ArrayList<>();
        new ObjectMapper().readTree(response.body()).forEach(t -> types.add(t.get("type").asText()));
        return types;
    }
}
