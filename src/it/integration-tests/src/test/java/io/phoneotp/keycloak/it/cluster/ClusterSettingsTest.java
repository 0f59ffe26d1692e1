package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;
import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an administrator saves through one node is what the other node does with the very next request. */
@Order(4)
class ClusterSettingsTest extends ClusterTestBase {

    static final String SMS = "/admin/realms/" + LocalServices.REALM + "/phone-otp/providers/sms";
    static final String ALICE = "+14155552671";
    static final String HANS = "+4915112345678";

    @AfterEach
    void restoreProvider() {
        via(a);
        assertEquals(200, LocalServices.put(SMS, smsSettings("+15005550006", LocalServices.TWILIO_TOKEN)).statusCode());
    }

    static Map<String, Object> smsSettings(String from, String token) {
        return new java.util.HashMap<>(Map.of("type", "twilio", "accountSid", FakeTwilio.ACCOUNT_SID, "authToken", token, "from", from));
    }

    @Test
    void providerSettingsSavedThroughNodeAAreUsedByNodeBAtOnce() {
        via(a);
        assertEquals(200, LocalServices.put(SMS, smsSettings("+15005550007", "rotated-token")).statusCode());

        RawVisitor alice = signIn("alice", b);

        assertTrue(alice.hasForm("phone-otp-form"), alice.page());
        FakeTwilio.Recorded text = twilio.awaitText(ALICE, 1);
        assertEquals("+15005550007", text.form().get("From"), "node B sends from the new number");
        assertEquals("rotated-token", text.password(), "with the new token");
        assertEquals("+15005550007", LocalServices.readJson(LocalServices.get(SMS)).get("from"), "and shows the new settings");
    }

    @Test
    void aPolicySavedThroughNodeAIsAppliedByNodeBAtOnce() {
        via(a);
        LocalServices.policy(Map.of("allowedCountries", List.of("DE")));

        RawVisitor alice = signIn("alice", b);
        RawVisitor hans = signIn("hans", b);

        assertShows(alice, "Codes cannot be sent to this phone number.");
        assertTrue(twilio.textsTo(ALICE).isEmpty(), "no code to a country the policy no longer allows");
        assertTrue(hans.hasForm("phone-otp-form"), hans.page());
        twilio.awaitText(HANS, 1);
        assertEquals(List.of("DE"), LocalServices.policy().get("allowedCountries"), "node B shows the new policy");
    }
}
