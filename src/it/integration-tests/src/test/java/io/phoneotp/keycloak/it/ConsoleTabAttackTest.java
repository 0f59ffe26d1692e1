package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the admin console's tabs, which Keycloak stores as realm components (provider type
 * {@code org.keycloak.services.ui.extend.UiTabProvider}) through its component API
 * ({@code /admin/realms/{realm}/components}), and whose hooks save into the real settings and may
 * send a test message. A passing test is a defence that held; a failing one is a finding.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class ConsoleTabAttackTest extends PhoneOtpTestBase {

    static final String COMPONENTS = "/admin/realms/" + REALM + "/components";
    static final String TAB_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";
    static final String SENDER_TYPE = "io.phoneotp.keycloak.delivery.PhoneOtpSender";
    static final String CLIENT_MANAGER = "clientmanager";

    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void restoreImportedSettings() throws Exception {
        assertEquals(200, AdminRest.put(ProviderSettingsAdminTest.SMS, admin(), ProviderSettingsAdminTest.VAULT_SETTINGS).statusCode());
        // views an attack added beside the console's own, wherever their parent
        for (JsonNode tab : json.readTree(AdminRest.get(COMPONENTS, admin()).body())) {
            if (tab.path("name").asText().startsWith("attack-")) {
                AdminRest.delete(COMPONENTS + "/" + tab.get("id").asText(), admin());
            }
        }
    }

    // ---- authorization ------------------------------------------------------------------------

    @Test
    void onlyManageRealmMayWriteTheViewsOrSendATest() throws Exception {
        String before = stored().get("from").asText();
        JsonNode view = tab("phone-otp-sms");
        for (String token : List.of(userToken("viewer"), clientManagerToken())) {
            ObjectNode changed = withConfig(view, "from", "+15005550009");
            ((ObjectNode) changed.get("config")).set("testTo", array("+14155550171"));
            HttpResponse<String> put = AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), token, changed.toString());
            assertEquals(403, put.statusCode(), put.body());

            ObjectNode created = newView("phone-otp-sms", "attack-unauthorized");
            ((ObjectNode) created.get("config")).set("testTo", array("+14155550172"));
            ((ObjectNode) created.get("config")).set("from", array("+15005550009"));
            HttpResponse<String> post = AdminRest.post(COMPONENTS, token, created.toString());
            assertEquals(403, post.statusCode(), post.body());

            HttpResponse<String> delete = AdminRest.delete(COMPONENTS + "/" + view.get("id").asText(), token);
            assertEquals(403, delete.statusCode(), delete.body());
        }
        assertEquals(before, stored().get("from").asText(), "the stored settings did not change");
        assertTrue(twilio.messagesTo("+14155550171").isEmpty() && twilio.messagesTo("+14155550172").isEmpty(), "no test was sent");
        assertTrue(tabs(admin()).stream().noneMatch(t -> t.path("name").asText().startsWith("attack-")));
    }

    @Test
    void aRealmManagerCannotReachAnotherRealmThroughTheViews() throws Exception {
        String manager = userToken("manager");
        String masterId = adminClient.realm("master").toRepresentation().getId();
        ObjectNode view = newView("phone-otp-policy", "attack-cross-realm");
        ((ObjectNode) view.get("config")).set("maxSendsPerNumberPerHour", array("42"));

        HttpResponse<String> direct = AdminRest.post("/admin/realms/master/components", manager, view.toString());
        assertEquals(403, direct.statusCode(), "a manager of " + REALM + " has no rights in master: " + direct.body());

        view.put("parentId", masterId);
        HttpResponse<String> parented = AdminRest.post(COMPONENTS, manager, view.toString());
        // whatever Keycloak answers, the hooks act on the realm of the URL, never on the parent's
        JsonNode masterPolicy = json.readTree(AdminRest.get("/admin/realms/master/phone-otp/policy", admin()).body());
        assertNotEquals(42, masterPolicy.get("maxSendsPerNumberPerHour").asInt(), "master's policy changed: " + parented.body());
        String masterViews = AdminRest.get("/admin/realms/master/components?type=" + TAB_TYPE, admin()).body();
        assertFalse(masterViews.contains("attack-cross-realm"), masterViews);
        assertFalse(masterViews.contains("\"42\""), masterViews);
    }

    // ---- secrets -------------------------------------------------------------------------------

    @Test
    void aTokenOrTestNumberTypedIntoAnExtraViewIsNeverReadable() throws Exception {
        recordAdminEventsWithRepresentation();
        String sender = realm.admin().components().query(realm.getId(), SENDER_TYPE).stream()
                .filter(c -> "sms".equals(c.getSubType())).findFirst().orElseThrow().getId();
        ObjectNode duplicate = newView("phone-otp-sms", "attack-duplicate", tab("phone-otp-sms"));
        ((ObjectNode) duplicate.get("config")).set("authToken", array("dup-plain-token-4711"));
        ((ObjectNode) duplicate.get("config")).set("testTo", array("+14155550181"));
        ObjectNode child = newView("phone-otp-sms", "attack-child", tab("phone-otp-sms"));
        child.put("parentId", sender);
        ((ObjectNode) child.get("config")).set("authToken", array("child-plain-token-4712"));
        ((ObjectNode) child.get("config")).set("testTo", array("+14155550182"));

        // a second view of a tab, or one under another parent, is refused: nothing stored, nothing sent
        assertEquals(400, AdminRest.post(COMPONENTS, admin(), duplicate.toString()).statusCode());
        assertEquals(400, AdminRest.post(COMPONENTS, admin(), child.toString()).statusCode());
        assertEquals(List.of(), twilio.messagesTo("+14155550181"));
        assertEquals(List.of(), twilio.messagesTo("+14155550182"));
        assertEquals("${vault.twilio-token}", json.readTree(AdminRest.get(ProviderSettingsAdminTest.SMS, admin()).body()).get("authToken").asText());

        List<String> readable = new ArrayList<>();
        for (String token : List.of(userToken("viewer"), admin())) {
            readable.add(AdminRest.get(COMPONENTS, token).body());
            readable.add(AdminRest.get(COMPONENTS + "?type=" + TAB_TYPE, token).body());
            readable.add(AdminRest.get(COMPONENTS + "?parent=" + sender, token).body());
        }
        readable.add(AdminRest.post("/admin/realms/" + REALM + "/partial-export?exportClients=true&exportGroupsAndRoles=true",
                admin(), "").body());
        readable.add(json.writeValueAsString(realm.admin().getAdminEvents()));
        readable.add(Files.readString(PhoneOtpServerConfig.SERVER_LOG));
        for (String text : readable) {
            assertFalse(text.contains("dup-plain-token-4711") || text.contains("child-plain-token-4712"), "a token is readable");
            assertFalse(text.contains("4155550181") || text.contains("4155550182"), "a test number is readable");
        }
    }

    /** The README: "The test number is not kept", "A token typed in the console is moved ... replaced by ********** in the view". */
    @Test
    void whatIsTypedIntoTheRealmsViewIsNotKeptThere() throws Exception {
        ObjectNode view = (ObjectNode) tab("phone-otp-sms");
        ((ObjectNode) view.get("config")).set("authToken", array("kept-plain-token-4713"));
        ((ObjectNode) view.get("config")).set("testTo", array("+14155550183"));
        assertEquals(204, AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), admin(), view.toString()).statusCode());

        assertEquals("kept-plain-token-4713", twilio.lastMessageTo("+14155550183").password(), "the hooks saved and sent");
        JsonNode kept = tab("phone-otp-sms").get("config");
        assertFalse(kept.has("testTo"), "the test number stayed in the view: " + kept);
        assertEquals("**********", kept.get("authToken").get(0).asText());
    }

    // ---- test sends ----------------------------------------------------------------------------

    @Test
    void severalNumbersInOneSaveSendOneTest() throws Exception {
        ObjectNode view = (ObjectNode) tab("phone-otp-sms").deepCopy();
        ((ObjectNode) view.get("config")).set("testTo", array("+14155550191", "+14155550192", "+14155550193"));
        HttpResponse<String> put = AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), admin(), view.toString());
        assertEquals(204, put.statusCode(), put.body());
        long sent = twilio.requests().stream().filter(r -> List.of("+14155550191", "+14155550192", "+14155550193").contains(r.to())).count();
        assertEquals(1, sent);

        ObjectNode odd = (ObjectNode) tab("phone-otp-sms").deepCopy();
        ((ObjectNode) odd.get("config")).set("testTo", array("+1 415 555 0194"));
        assertEquals(400, AdminRest.put(COMPONENTS + "/" + odd.get("id").asText(), admin(), odd.toString()).statusCode());
        ((ObjectNode) odd.get("config")).set("testTo", array("+14155550194,+14155550195"));
        assertEquals(400, AdminRest.put(COMPONENTS + "/" + odd.get("id").asText(), admin(), odd.toString()).statusCode());
        assertTrue(twilio.messagesTo("+14155550194").isEmpty());
    }

    /** The REST test endpoint records an ACTION admin event per test send; a send through the view does not, nor is either limited. */
    @Test
    void everySaveOfTheViewWithATestNumberSendsOneTestRecordedAsATestSend() throws Exception {
        recordAdminEventsWithRepresentation();
        int saves = 5;
        for (int i = 0; i < saves; i++) {
            ObjectNode view = (ObjectNode) tab("phone-otp-sms").deepCopy();
            ((ObjectNode) view.get("config")).set("testTo", array("+14155550199"));
            long started = System.nanoTime();
            HttpResponse<String> put = AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), admin(), view.toString());
            assertEquals(204, put.statusCode(), put.body());
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "a save must not hang");
        }
        for (int i = 0; i < saves; i++) {
            assertEquals(200, AdminRest.post(ProviderSettingsAdminTest.SMS + "/test", admin(), "{\"to\":\"+14155550198\"}").statusCode(),
                    "the REST test endpoint has no rate limit either");
        }
        assertEquals(saves, twilio.messagesTo("+14155550199").size(), "every save sent a test, none was refused");
        assertEquals(saves, twilio.messagesTo("+14155550198").size());

        List<AdminEventRepresentation> events = realm.admin().getAdminEvents();
        long restTests = events.stream().filter(e -> "ACTION".equals(e.getOperationType()) && String.valueOf(e.getResourcePath()).endsWith("/test")).count();
        assertEquals(saves, restTests);
        String all = json.writeValueAsString(events);
        // this class's other tests send tests too: count the ones to this number
        long viewTests = events.stream().filter(e -> "ACTION".equals(e.getOperationType()) && "COMPONENT".equals(e.getResourceType())
                && !String.valueOf(e.getResourcePath()).endsWith("/test") && e.getDetails() != null
                && "+*********99".equals(e.getDetails().get("phone_otp_phone"))).count();
        assertEquals(saves, viewTests, "the tests sent by saving the view have no test-send event (masked number, outcome): " + all);
    }

    /**
     * A realm as a full export (kc.sh export) of a server with the tabs holds it: the sender with its
     * plain token, and the console's view of it with the mask. Importing it runs the view's
     * validation (Keycloak validates every imported component), which reads the stored sender.
     */
    @Test
    void aRealmExportedWithTheViewsImportsAgain() throws Exception {
        String name = "attack-import-" + System.nanoTime();
        String sender = "{\"name\":\"sms\",\"providerId\":\"twilio\",\"subType\":\"sms\",\"config\":{\"accountSid\":[\""
                + FakeTwilio.ACCOUNT_SID + "\"],\"authToken\":[\"plain-import-token\"],\"from\":[\"+15005550006\"]}}";
        String view = "{\"name\":\"phone-otp-sms\",\"providerId\":\"phone-otp-sms\",\"config\":{\"type\":[\"twilio\"],\"accountSid\":[\""
                + FakeTwilio.ACCOUNT_SID + "\"],\"authToken\":[\"**********\"],\"from\":[\"+15005550006\"]}}";
        String realmJson = "{\"realm\":\"" + name + "\",\"enabled\":true,\"components\":{\"" + SENDER_TYPE + "\":[" + sender
                + "],\"" + TAB_TYPE + "\":[" + view + "]}}";
        HttpResponse<String> created = AdminRest.post("/admin/realms", admin(), realmJson);
        try {
            assertEquals(201, created.statusCode(), "the export does not import: " + created.body());
            JsonNode stored = json.readTree(AdminRest.get("/admin/realms/" + name + "/phone-otp/providers/sms", admin()).body());
            assertEquals("**********", stored.get("authToken").asText());
        } finally {
            AdminRest.delete("/admin/realms/" + name, admin());
        }
    }

    // ---- validation ----------------------------------------------------------------------------

    @Test
    void thePolicyViewRefusesWhatTheRestResourceRefuses() throws Exception {
        HttpResponse<String> rest = AdminRest.put(POLICY, admin(), "{\"uniqueNumbers\":\"yes\"}");
        assertEquals(400, rest.statusCode(), "the REST resource refuses a boolean that is not true or false: " + rest.body());

        ObjectNode view = (ObjectNode) tab("phone-otp-policy").deepCopy();
        ((ObjectNode) view.get("config")).set("uniqueNumbers", array("yes"));
        ((ObjectNode) view.get("config")).set("notifyOldNumber", array("on"));
        HttpResponse<String> put = AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), admin(), view.toString());
        JsonNode policy = json.readTree(AdminRest.get(POLICY, admin()).body());
        assertEquals(400, put.statusCode(), "the view took uniqueNumbers=yes and stored uniqueNumbers="
                + policy.get("uniqueNumbers") + ", notifyOldNumber=" + policy.get("notifyOldNumber"));
    }

    @Test
    void unregisteredProviderTypesAndBadLimitsAreRefusedThroughTheView() throws Exception {
        JsonNode before = stored();
        ObjectNode sms = (ObjectNode) tab("phone-otp-sms").deepCopy();
        ((ObjectNode) sms.get("config")).set("type", array("carrier-pigeon", "twilio"));
        assertEquals(400, AdminRest.put(COMPONENTS + "/" + sms.get("id").asText(), admin(), sms.toString()).statusCode());
        assertEquals(400, AdminRest.post(COMPONENTS, admin(), newView("phone-otp-sms", "attack-pigeon", sms).toString()).statusCode());
        assertEquals(before, stored());

        ObjectNode policy = (ObjectNode) tab("phone-otp-policy").deepCopy();
        for (String bad : List.of("-1", "0", "1.5", "99999999", "1e3", " ")) {
            ((ObjectNode) policy.get("config")).set("maxSendsPerRealmPerHour", array(bad));
            int status = AdminRest.put(COMPONENTS + "/" + policy.get("id").asText(), admin(), policy.toString()).statusCode();
            int realmBudget = json.readTree(AdminRest.get(POLICY, admin()).body()).get("maxSendsPerRealmPerHour").asInt();
            assertTrue(status == 400 || realmBudget >= 1, "maxSendsPerRealmPerHour '" + bad + "' -> " + status + ", stored " + realmBudget);
        }
        ((ObjectNode) policy.get("config")).set("maxSendsPerRealmPerHour", array("10000"));
        ((ObjectNode) policy.get("config")).set("allowedCountries", array("US", "XX"));
        assertEquals(400, AdminRest.put(COMPONENTS + "/" + policy.get("id").asText(), admin(), policy.toString()).statusCode());
    }

    /** The field's help: "Written by the server; what you type here is not kept." */
    @Test
    void aLastTestTypedByAnAdministratorIsNotKept() throws Exception {
        ObjectNode view = (ObjectNode) tab("phone-otp-sms").deepCopy();
        ((ObjectNode) view.get("config")).set("lastTest", array("Test message to +*********00: sent, id SMforged"));
        assertEquals(204, AdminRest.put(COMPONENTS + "/" + view.get("id").asText(), admin(), view.toString()).statusCode());
        String shown = tab("phone-otp-sms").path("config").path("lastTest").path(0).asText();
        assertFalse(shown.contains("SMforged"), "the view shows a forged outcome: " + shown);
    }

    /** ConsoleMirror: the views follow a change "through ... Keycloak's component API (senders)". */
    @Test
    void removingTheSenderThroughTheComponentApiEmptiesTheView() throws Exception {
        String sender = realm.admin().components().query(realm.getId(), SENDER_TYPE).stream()
                .filter(c -> "sms".equals(c.getSubType())).findFirst().orElseThrow().getId();
        assertEquals(204, AdminRest.delete(COMPONENTS + "/" + sender, admin()).statusCode());
        assertEquals(404, AdminRest.get(ProviderSettingsAdminTest.SMS, admin()).statusCode());
        JsonNode view = tab("phone-otp-sms").path("config");
        assertFalse(view.has("accountSid") || view.has("from"), "the view still shows the removed provider: " + view);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private JsonNode stored() throws Exception {
        return json.readTree(AdminRest.get(ProviderSettingsAdminTest.SMS, admin()).body());
    }

    private List<JsonNode> tabs(String token) throws Exception {
        List<JsonNode> tabs = new ArrayList<>();
        json.readTree(AdminRest.get(COMPONENTS + "?type=" + TAB_TYPE, token).body()).forEach(tabs::add);
        return tabs;
    }

    /** The console's own view of a tab: the first top-level one, as ConsoleMirror finds it. */
    private JsonNode tab(String providerId) throws Exception {
        return tabs(admin()).stream().filter(t -> providerId.equals(t.path("providerId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no view of " + providerId));
    }

    private ObjectNode newView(String providerId, String name) {
        ObjectNode view = json.createObjectNode();
        view.put("name", name);
        view.put("providerId", providerId);
        view.put("providerType", TAB_TYPE);
        view.set("config", json.createObjectNode());
        return view;
    }

    private ObjectNode newView(String providerId, String name, JsonNode copyConfigOf) {
        ObjectNode view = newView(providerId, name);
        view.set("config", copyConfigOf.get("config").deepCopy());
        return view;
    }

    private ObjectNode withConfig(JsonNode view, String key, String value) {
        ObjectNode copy = view.deepCopy();
        ((ObjectNode) copy.get("config")).set(key, array(value));
        return copy;
    }

    private ArrayNode array(String... values) {
        ArrayNode array = json.createArrayNode();
        for (String v : values) {
            array.add(v);
        }
        return array;
    }

    /** A user of the test realm with realm-management's manage-clients (and view-realm is not granted). */
    private String clientManagerToken() {
        if (realm.admin().users().search(CLIENT_MANAGER, true).isEmpty()) {
            var user = new org.keycloak.representations.idm.UserRepresentation();
            user.setUsername(CLIENT_MANAGER);
            user.setEnabled(true);
            user.setFirstName("Client");
            user.setLastName("Manager");
            user.setEmail("clientmanager@example.org");
            user.setEmailVerified(true);
            var password = new org.keycloak.representations.idm.CredentialRepresentation();
            password.setType("password");
            password.setValue(CLIENT_MANAGER + "-password");
            password.setTemporary(false);
            user.setCredentials(List.of(password));
            try (var response = realm.admin().users().create(user)) {
                assertEquals(201, response.getStatus());
            }
            String rm = realm.admin().clients().findByClientId("realm-management").get(0).getId();
            RoleRepresentation manageClients = realm.admin().clients().get(rm).roles().get("manage-clients").toRepresentation();
            realm.admin().users().get(userId(CLIENT_MANAGER)).roles().clientLevel(rm).add(List.of(manageClients));
        }
        return userToken(CLIENT_MANAGER);
    }

    private void recordAdminEventsWithRepresentation() {
        RealmRepresentation changes = new RealmRepresentation();
        changes.setAdminEventsEnabled(true);
        changes.setAdminEventsDetailsEnabled(true);
        realm.admin().update(changes);
    }
}
