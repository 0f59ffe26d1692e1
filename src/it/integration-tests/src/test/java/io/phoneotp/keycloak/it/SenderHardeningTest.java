package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vault reference the vault cannot resolve leaves the provider unconfigured (the reference is
 * never sent to Twilio as the token), and an administrator's test send is an admin event that
 * shows the destination only masked.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SenderHardeningTest extends PhoneOtpTestBase {

    static final String SMS = ProviderSettingsAdminTest.SMS;
    static final String ERIN = "+14155552673";
    static final String TEST_DESTINATION = "+14155550100";
    static final String TEST_PATH = "phone-otp/providers/sms/test";

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aVaultReferenceTheVaultCannotResolveLeavesTheProviderUnconfigured() throws Exception {
        String imported = ProviderSettingsAdminTest.VAULT_SETTINGS;
        HttpResponse<String> put = AdminRest.put(SMS, admin(), imported.replace("${vault.twilio-token}", "${vault.missing-key}"));
        assertEquals(200, put.statusCode(), "a reference is accepted as written: " + put.body());
        try {
            assertNothingGoesOutAndTheLogNamesTheKey();
        } finally {
            assertEquals(200, AdminRest.put(SMS, admin(), imported).statusCode());
        }
    }

    private void assertNothingGoesOutAndTheLogNamesTheKey() throws Exception {
        signInWithPassword("erin");
        assertTrue(pageText().contains("We could not send a code right now. Try again later or contact your administrator."), pageText());
        assertEquals("gateway_error", lastEvent("erin", EventType.LOGIN_ERROR).getDetails().get("phone_otp_error"));

        HttpResponse<String> test = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"" + TEST_DESTINATION + "\"}");
        assertEquals(502, test.statusCode(), test.body());
        JsonNode answer = json.readTree(test.body());
        assertTrue(answer.get("error").asText().contains("'missing-key'"), "the administrator learns which key: " + test.body());
        assertFalse(answer.hasNonNull("providerCode"), test.body());

        assertTrue(twilio.requests().isEmpty(), "nothing reaches Twilio, least of all the reference as the token: "
                + twilio.requests().stream().map(FakeTwilio.Recorded::password).toList());
        List<String> errors = Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG).stream()
                .filter(l -> l.contains("ERROR") && l.contains("'" + REALM + "'") && l.contains("'missing-key'")).toList();
        assertTrue(errors.size() >= 2, "an ERROR naming the realm and the key, at each attempt: " + errors);
        assertTrue(errors.stream().noneMatch(l -> l.contains(ERIN) || l.contains(TEST_DESTINATION)), errors.toString());
    }

    @Test
    void aTestSendIsAnAdminEventWithTheDestinationMasked() throws Exception {
        recordAdminEventsWithRepresentation();

        HttpResponse<String> sent = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"" + TEST_DESTINATION + "\"}");
        assertEquals(200, sent.statusCode(), sent.body());
        String sid = json.readTree(sent.body()).get("sid").asText();

        AdminEventRepresentation event = lastTestSendEvent();
        assertEquals("ACTION", event.getOperationType());
        assertNull(event.getError());
        assertEquals("+*********00", event.getDetails().get("phone_otp_phone"));
        assertEquals("sms", event.getDetails().get("phone_otp_channel"));
        assertEquals(sid, event.getDetails().get("phone_otp_provider_id"));
        JsonNode representation = json.readTree(event.getRepresentation());
        assertEquals("+*********00", representation.get("to").asText());
        assertEquals("sent", representation.get("status").asText());
        assertNoFullNumber(event, TEST_DESTINATION);
    }

    @Test
    void aFailedTestSendIsAnAdminErrorEventWithTheProviderCode() throws Exception {
        recordAdminEventsWithRepresentation();
        twilio.failNext(21211, 400);

        HttpResponse<String> refused = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550101\"}");
        assertEquals(400, refused.statusCode(), refused.body());

        AdminEventRepresentation event = lastTestSendEvent();
        assertEquals("ACTION", event.getOperationType());
        assertEquals("gateway_error", event.getError());
        assertEquals("+*********01", event.getDetails().get("phone_otp_phone"));
        assertEquals("21211", event.getDetails().get("phone_otp_provider_code"));
        JsonNode representation = json.readTree(event.getRepresentation());
        assertEquals("error", representation.get("status").asText());
        assertEquals(21211, representation.get("providerCode").asInt());
        assertNoFullNumber(event, "+14155550101");
    }

    /** The test realm records admin events; the representation needs the details switch too. */
    private void recordAdminEventsWithRepresentation() {
        RealmRepresentation changes = new RealmRepresentation();
        changes.setAdminEventsEnabled(true);
        changes.setAdminEventsDetailsEnabled(true);
        realm.admin().update(changes);
    }

    private AdminEventRepresentation lastTestSendEvent() {
        List<AdminEventRepresentation> events = realm.admin().getAdminEvents().stream()
                .filter(e -> TEST_PATH.equals(e.getResourcePath())).toList();
        assertFalse(events.isEmpty(), "an admin event for the test send");
        return events.get(0); // newest first
    }

    /** Neither in the stored event nor in the server log, where Keycloak's logging listener writes admin events. */
    private void assertNoFullNumber(AdminEventRepresentation event, String number) throws Exception {
        String digits = number.substring(1);
        String all = json.writeValueAsString(event);
        assertFalse(all.contains(digits), all);
        assertTrue(Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG).stream().noneMatch(l -> l.contains(digits)));
    }
}
