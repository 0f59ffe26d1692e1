package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The realm's SMS provider setting through the admin REST resource, as an administrator's script uses it. */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class ProviderSettingsAdminTest extends PhoneOtpTestBase {

    static final String SMS = "/admin/realms/" + REALM + "/phone-otp/providers/sms";
    static final String VAULT_SETTINGS = "{\"type\":\"twilio\",\"accountSid\":\"" + FakeTwilio.ACCOUNT_SID
            + "\",\"authToken\":\"${vault.twilio-token}\",\"from\":\"+15005550006\",\"messagingServiceSid\":null}";

    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void restoreImportedSettings() throws Exception {
        assertEquals(200, AdminRest.put(SMS, admin(), VAULT_SETTINGS).statusCode());
    }

    @Test
    void theImportedSettingsAreReadWithTheVaultReferenceAsWritten() throws Exception {
        HttpResponse<String> response = AdminRest.get(SMS, admin());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(json.readTree(VAULT_SETTINGS), json.readTree(response.body()));
    }

    @Test
    void aStoredTokenIsNeverReturnedAndTheMaskKeepsIt() throws Exception {
        String settings = VAULT_SETTINGS.replace("${vault.twilio-token}", "plain-secret-token");
        HttpResponse<String> put = AdminRest.put(SMS, admin(), settings);
        assertEquals(200, put.statusCode(), put.body());
        assertFalse(put.body().contains("plain-secret-token"));

        HttpResponse<String> get = AdminRest.get(SMS, admin());
        assertEquals("**********", json.readTree(get.body()).get("authToken").asText());
        assertFalse(get.body().contains("plain-secret-token"));

        // an administrator changes the sender and sends the mask back: the stored token stays
        HttpResponse<String> change = AdminRest.put(SMS, admin(), settings.replace("plain-secret-token", "**********")
                .replace("+15005550006", "+15005550007"));
        assertEquals(200, change.statusCode(), change.body());
        HttpResponse<String> test = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550100\"}");
        assertEquals(200, test.statusCode(), test.body());
        FakeTwilio.Recorded sent = twilio.lastMessageTo("+14155550100");
        assertEquals("plain-secret-token", sent.password());
        assertEquals("+15005550007", sent.form().get("From"));
    }

    @Test
    void invalidSettingsAreRefusedNamingTheField() throws Exception {
        assertRefused(SMS, VAULT_SETTINGS.replace(FakeTwilio.ACCOUNT_SID, "AC123"), "accountSid");
        assertRefused(SMS, VAULT_SETTINGS.replace("+15005550006", "5550006"), "from");
        assertRefused(SMS, VAULT_SETTINGS.replace("\"twilio\"", "\"carrier-pigeon\""), "type");
        assertRefused(SMS, VAULT_SETTINGS.replace("\"${vault.twilio-token}\"", "null"), "authToken");
        assertRefused(SMS, VAULT_SETTINGS.replace("\"+15005550006\"", "null"), "from or messagingServiceSid");

        assertEquals(json.readTree(VAULT_SETTINGS), json.readTree(AdminRest.get(SMS, admin()).body()), "nothing half-saved");
    }

    @Test
    void aMessagingServiceMayReplaceTheSenderNumber() throws Exception {
        String service = VAULT_SETTINGS.replace("\"from\":\"+15005550006\",\"messagingServiceSid\":null",
                "\"from\":null,\"messagingServiceSid\":\"MG00000000000000000000000000000002\"");
        assertEquals(200, AdminRest.put(SMS, admin(), service).statusCode());

        assertEquals(200, AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550100\"}").statusCode());
        FakeTwilio.Recorded sent = twilio.lastMessageTo("+14155550100");
        assertEquals("MG00000000000000000000000000000002", sent.form().get("MessagingServiceSid"));
        assertFalse(sent.form().containsKey("From"));
    }

    @Test
    void readingNeedsViewRealmAndWritingAndTestingNeedManageRealm() throws Exception {
        String viewer = userToken("viewer");
        assertEquals(200, AdminRest.get(SMS, viewer).statusCode());
        assertEquals(403, AdminRest.put(SMS, viewer, VAULT_SETTINGS).statusCode());
        assertEquals(403, AdminRest.post(SMS + "/test", viewer, "{\"to\":\"+14155550100\"}").statusCode());

        String nobody = userToken("nobody");
        assertEquals(403, AdminRest.get(SMS, nobody).statusCode());

        String manager = userToken("manager");
        assertEquals(200, AdminRest.put(SMS, manager, VAULT_SETTINGS).statusCode());
        assertEquals(200, AdminRest.post(SMS + "/test", manager, "{\"to\":\"+14155550100\"}").statusCode());
        assertEquals(1, twilio.requests().size(), "only the manager's test message was sent");
    }

    @Test
    void aTestMessageIsSentAndItsFailureExplained() throws Exception {
        HttpResponse<String> ok = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550100\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = json.readTree(ok.body());
        assertEquals("sent", body.get("status").asText());
        assertTrue(body.get("sid").asText().startsWith("SM"));
        FakeTwilio.Recorded sent = twilio.lastMessageTo("+14155550100");
        assertEquals(PhoneOtpServerConfig.VAULT_TOKEN, sent.password());
        assertTrue(sent.body().startsWith("Phone OTP Test: this is a test message."), sent.body());

        twilio.failNext(21211, 400);
        HttpResponse<String> invalid = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550101\"}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertEquals(21211, json.readTree(invalid.body()).get("providerCode").asInt());

        twilio.serverErrorNext();
        HttpResponse<String> down = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550101\"}");
        assertEquals(502, down.statusCode(), down.body());
        assertEquals(3, twilio.requests().size(), "one request per test send, none repeated");

        HttpResponse<String> badNumber = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"0800 not a number\"}");
        assertEquals(400, badNumber.statusCode());
        assertTrue(json.readTree(badNumber.body()).get("error").asText().contains("to"));
    }

    @Test
    void eachChannelHasItsOwnSettingAndThereAreNoOthers() throws Exception {
        HttpResponse<String> voice = AdminRest.get("/admin/realms/" + REALM + "/phone-otp/providers/voice", admin());
        assertEquals(200, voice.statusCode(), voice.body());
        assertEquals("+15005550009", json.readTree(voice.body()).get("from").asText());
        assertEquals(404, AdminRest.get("/admin/realms/" + REALM + "/phone-otp/providers/fax", admin()).statusCode());
    }

    @Test
    void realmExportAndImportKeepTheSettings() throws Exception {
        RealmRepresentation exported = realm.admin().partialExport(false, false);
        List<ComponentExportRepresentation> senders = exported.getComponents().get("io.phoneotp.keycloak.delivery.PhoneOtpSender");
        assertEquals(2, senders.size(), "sms and voice");
        senders.forEach(s -> assertEquals("${vault.twilio-token}", s.getConfig().getFirst("authToken")));

        RealmRepresentation copy = new RealmRepresentation();
        copy.setRealm("phone-otp-reimport");
        copy.setEnabled(true);
        exported.getComponents().values().forEach(list -> list.forEach(c -> c.setId(null)));
        copy.setComponents(exported.getComponents());
        adminClient.realms().create(copy);
        try {
            HttpResponse<String> get = AdminRest.get("/admin/realms/phone-otp-reimport/phone-otp/providers/sms", admin());
            assertEquals(json.readTree(VAULT_SETTINGS), json.readTree(get.body()));
        } finally {
            adminClient.realm("phone-otp-reimport").remove();
        }
    }
}
