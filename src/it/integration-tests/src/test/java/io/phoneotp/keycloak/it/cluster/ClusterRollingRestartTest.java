package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;
import io.phoneotp.keycloak.it.RawVisitor;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upgrade's rolling restart: one node at a time goes down and comes back; what users and administrators saved stays. */
@Order(5)
class ClusterRollingRestartTest extends ClusterTestBase {

    static final String UMA = "+14155550190";
    static final String SMS = ClusterSettingsTest.SMS;

    @Test
    void aRollingRestartLosesNoPhoneNumberAndNoSettings() {
        // uma registers her number through the real pages: the code goes out through node B, node A saves the number
        via(b);
        RawVisitor uma = new RawVisitor().open(RawVisitor.LOGIN + "&kc_action=phone-number-config")
                .submit("kc-form-login", Map.of("username", "uma", "password", "uma-password"))
                .submit("phone-otp-register-form", Map.of("phoneNumber", "+1 415 555 0190"));
        String code = twilio.awaitText(UMA, 1).code();
        via(a);
        uma.submit("phone-otp-register-form", Map.of("code", code));
        assertTrue(uma.location() != null && uma.location().contains("kc_action_status=success"), "registered: " + uma.location() + " " + uma.page());
        // and the administrator saves settings and a policy
        assertEquals(200, LocalServices.put(SMS, ClusterSettingsTest.smsSettings("+15005550008", "token-before-the-restart")).statusCode());
        LocalServices.policy(Map.of("allowedCountries", List.of("US", "DE"), "maxSendsPerUserPerHour", 50));

        for (KeycloakNode node : List.of(a, b)) {
            KeycloakNode other = cluster.other(node);
            via(other);
            node.stop();
            other.awaitClusterOf(1);
            node.start();
            cluster.awaitFormed();
        }

        for (KeycloakNode node : List.of(a, b)) {
            via(node);
            Map<String, Object> user = LocalServices.readJson(LocalServices.get("/admin/realms/" + LocalServices.REALM + "/users/" + LocalServices.userId("uma")));
            @SuppressWarnings("unchecked")
            Map<String, List<String>> attributes = (Map<String, List<String>>) user.get("attributes");
            assertEquals(List.of(UMA), attributes.get("phoneNumber"), node.name);
            assertEquals(List.of("true"), attributes.get("phoneNumberVerified"), node.name);
            assertEquals("+15005550008", LocalServices.readJson(LocalServices.get(SMS)).get("from"), node.name);
            assertEquals(List.of("US", "DE"), LocalServices.policy().get("allowedCountries"), node.name);
            assertEquals(50, LocalServices.policy().get("maxSendsPerUserPerHour"), node.name);
        }

        // and uma signs in with a code to her number, sent with the saved settings, on both nodes
        twilio.reset();
        for (KeycloakNode node : List.of(a, b)) {
            RawVisitor signIn = signIn("uma", node);
            FakeTwilio.Recorded text = twilio.awaitText(UMA, node == a ? 1 : 2);
            assertEquals("+15005550008", text.form().get("From"));
            assertEquals("token-before-the-restart", text.password());
            typeCode(signIn, text.code(), node);
            assertTrue(signIn.signedIn(), node.name + ": " + signIn.page());
        }
        sentBefore += 1; // the registration's text, counted before the reset above
        via(a);
        assertEquals(200, LocalServices.put(SMS, ClusterSettingsTest.smsSettings("+15005550006", LocalServices.TWILIO_TOKEN)).statusCode());
    }
}
