package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.Poll;
import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits hold for the cluster, not per node: sign-ins alternate between the nodes, and the fake
 * Twilio counts what was really sent.
 */
@Order(3)
class ClusterLimitsTest extends ClusterTestBase {

    static final String IVAN = "+14155552677";

    @AfterEach
    void bruteForceOff() {
        Map<String, Object> realm = LocalServices.readJson(LocalServices.get("/admin/realms/" + LocalServices.REALM));
        realm.put("bruteForceProtected", false);
        LocalServices.put("/admin/realms/" + LocalServices.REALM, realm);
        LocalServices.delete("/admin/realms/" + LocalServices.REALM + "/attack-detection/brute-force/users");
    }

    @Test
    void theHourlyLimitPerNumberHoldsAcrossNodes() {
        LocalServices.policy(Map.of("maxSendsPerNumberPerHour", 2));
        List<RawVisitor> signIns = List.of(signIn("ivan", a), signIn("ivan", b), signIn("ivan", a), signIn("ivan", b));

        assertEquals(2, twilio.textsTo(IVAN).size(), "two codes in the hour, whichever node is asked");
        assertTrue(signIns.get(0).hasForm("phone-otp-form") && signIns.get(1).hasForm("phone-otp-form"));
        assertShows(signIns.get(2), TOO_MANY);
        assertShows(signIns.get(3), TOO_MANY);
    }

    @Test
    void theRealmBudgetHoldsAcrossNodes() {
        LocalServices.policy(Map.of("maxSendsPerRealmPerHour", sentBefore + 2));
        RawVisitor alice = signIn("alice", a);
        RawVisitor carol = signIn("carol", b);
        RawVisitor erin = signIn("erin", a);
        RawVisitor judy = signIn("judy", b);

        assertEquals(2, twilio.requests().size(), "the realm's budget is the cluster's: " + twilio.requests().size() + " sent");
        assertTrue(alice.hasForm("phone-otp-form") && carol.hasForm("phone-otp-form"));
        assertShows(erin, TOO_MANY);
        assertShows(judy, TOO_MANY);
    }

    @Test
    void aCodeAllowsThreeWrongTriesWhicheverNodeChecksThem() {
        RawVisitor carol = signIn("carol", a);
        String code = twilio.awaitText("+14155552672", 1).code();
        String wrong = code.equals("000000") ? "111111" : "000000";

        typeCode(carol, wrong, b);
        assertShows(carol, "That code is not right. Attempts left: 2.");
        typeCode(carol, wrong, a);
        assertShows(carol, "That code is not right. Attempts left: 1.");
        typeCode(carol, wrong, b);
        assertShows(carol, "Too many wrong codes. Ask for a new code.");
        typeCode(carol, code, a);

        assertFalse(carol.signedIn(), "the right code after the third wrong one, on the other node: " + carol.location());
    }

    @Test
    void wrongCodesOnBothNodesLockTheAccount() {
        Map<String, Object> realm = LocalServices.readJson(LocalServices.get("/admin/realms/" + LocalServices.REALM));
        realm.putAll(Map.of("bruteForceProtected", true, "failureFactor", 3, "waitIncrementSeconds", 120, "maxFailureWaitSeconds", 900,
                "permanentLockout", false, "quickLoginCheckMilliSeconds", 1));
        assertEquals(204, LocalServices.put("/admin/realms/" + LocalServices.REALM, realm).statusCode());
        LocalServices.stepConfig(Map.of("maxAttempts", "10"));
        try {
            RawVisitor erin = signIn("erin", a);
            String code = twilio.awaitText("+14155552673", 1).code();
            String wrong = code.equals("000000") ? "111111" : "000000";
            typeCode(erin, wrong, b);
            typeCode(erin, wrong, a);
            typeCode(erin, wrong, b);
            // Keycloak records failures on an executor of its own: the administrator sees the lock (here through node A)
            via(a);
            String erinId = LocalServices.userId("erin");
            Poll.until(Duration.ofSeconds(10), "erin is not locked", () -> Optional.of(LocalServices.readJson(LocalServices.get(
                    "/admin/realms/" + LocalServices.REALM + "/attack-detection/brute-force/users/" + erinId)))
                    .filter(status -> Boolean.TRUE.equals(status.get("disabled"))));

            typeCode(erin, code, a);
            assertFalse(erin.signedIn(), "three failures counted across the nodes lock erin");
            assertShows(erin, "your account is locked for a while");
        } finally {
            LocalServices.stepConfig(Map.of("maxAttempts", "3"));
        }
    }
}
