package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Senders as Twilio accepts them: a short code or an alphanumeric sender ID for text messages, a
 * sender per destination country, and Twilio's answers about senders and regions explained to the
 * user and to the administrator.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SendersTest extends PhoneOtpTestBase {

    static final String SMS = ProviderSettingsAdminTest.SMS;
    static final String VOICE = VoiceOtpTest.VOICE;
    static final String SETTINGS = ProviderSettingsAdminTest.VAULT_SETTINGS;
    static final String ERIN = "+14155552673";
    static final String HANS = "+4915112345678";
    static final String SERVICE = "MG00000000000000000000000000000002";
    static final String TABS = "/admin/realms/" + REALM + "/components?type=org.keycloak.services.ui.extend.UiTabProvider";

    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void restoreImportedSettings() throws Exception {
        assertEquals(200, AdminRest.put(SMS, admin(), SETTINGS).statusCode());
        assertEquals(200, AdminRest.put(VOICE, admin(), VoiceOtpTest.VOICE_SETTINGS).statusCode());
    }

    /** The imported SMS settings with another {@code from}, and these senders per country. */
    static String sms(String from, String fromByCountry) {
        String settings = SETTINGS.replace("\"from\":\"+15005550006\"", from == null ? "\"from\":null" : "\"from\":\"" + from + "\"");
        return fromByCountry == null ? settings : withField(settings, "fromByCountry", fromByCountry);
    }

    /** The JSON object with one more field (its last brace replaced: the vault reference has braces too). */
    static String withField(String object, String name, String value) {
        return object.substring(0, object.lastIndexOf('}')) + ",\"" + name + "\":" + value + "}";
    }

    @Test
    void aShortCodeAndAnAlphanumericSenderAreSavedAndUsed() throws Exception {
        HttpResponse<String> shortCode = AdminRest.put(SMS, admin(), sms("12345", null));
        assertEquals(200, shortCode.statusCode(), shortCode.body());
        assertEquals("12345", json.readTree(AdminRest.get(SMS, admin()).body()).get("from").asText());

        signInWithPassword("erin");
        FakeTwilio.Recorded text = twilio.lastMessageTo(ERIN);
        assertEquals("12345", text.form().get("From"));
        codePage.submitCode(text.code());
        assertTrue(signedIn(), pageText());

        assertEquals(200, AdminRest.put(SMS, admin(), sms("Acme Bank", null)).statusCode());
        HttpResponse<String> test = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550100\"}");
        assertEquals(200, test.statusCode(), test.body());
        assertEquals("Acme Bank", twilio.lastMessageTo("+14155550100").form().get("From"));
        assertTrue(twilio.lastMessageTo("+14155550100").body().startsWith("Phone OTP Test: this is a test message."),
                "the message is unchanged");
    }

    @Test
    void invalidSendersAreRefusedNamingTheField() throws Exception {
        assertRefused(SMS, sms("1234", null), "from must be a phone number in E.164 format");
        assertRefused(SMS, sms("6175551212", null), "from must be");
        assertRefused(SMS, sms("ACME-BANK", null), "from must be");
        assertRefused(SMS, sms("Acme Bank 12", null), "from must be");
        assertRefused(SMS, sms(SERVICE, null), "from must be");
        assertRefused(SMS, sms("+15005550006", "{\"DE\":\"ACME-BANK\"}"), "fromByCountry.DE must be");
        assertRefused(SMS, sms("+15005550006", "{\"DE\":\"ACME\",\"GB\":\"1234567\"}"), "fromByCountry.GB must be");
        assertRefused(SMS, sms("+15005550006", "{\"Germany\":\"ACME\"}"), "fromByCountry: 'Germany' is not an ISO 3166");
        assertRefused(SMS, sms("+15005550006", "{\"DE\":42}"), "fromByCountry has a value of the wrong type");

        // a call cannot come from a short code or a name, nor have senders per country
        assertRefused(VOICE, VoiceOtpTest.VOICE_SETTINGS.replace("+15005550009", "12345"), "from must be a phone number in E.164 format");
        assertRefused(VOICE, VoiceOtpTest.VOICE_SETTINGS.replace("+15005550009", "ACME"), "from must be a phone number");
        assertRefused(VOICE, withField(VoiceOtpTest.VOICE_SETTINGS, "fromByCountry", "{\"DE\":\"+4915112345678\"}"),
                "fromByCountry is only for the sms channel");

        assertEquals(json.readTree(SETTINGS), json.readTree(AdminRest.get(SMS, admin()).body()), "nothing half-saved");
        assertEquals(json.readTree(VoiceOtpTest.VOICE_SETTINGS), json.readTree(AdminRest.get(VOICE, admin()).body()));
    }

    @Test
    void aSenderPerCountryIsChosenByTheDestinationsRegionTheDefaultForTheRest() throws Exception {
        String senders = "{\"DE\":\"ACME\",\"GB\":\"" + SERVICE + "\"}";
        HttpResponse<String> put = AdminRest.put(SMS, admin(), sms("+15005550006", senders));
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(json.readTree(senders), json.readTree(AdminRest.get(SMS, admin()).body()).get("fromByCountry"));

        signInWithPassword("hans");
        assertEquals("ACME", twilio.lastMessageTo(HANS).form().get("From"), "Germany: the sender ID");
        codePage.submitCode(twilio.lastMessageTo(HANS).code());
        assertTrue(signedIn(), pageText());

        newVisitor();
        signInWithPassword("erin");
        assertEquals("+15005550006", twilio.lastMessageTo(ERIN).form().get("From"), "the US: the default");

        assertEquals(200, AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+447400123456\"}").statusCode());
        FakeTwilio.Recorded british = twilio.lastMessageTo("+447400123456");
        assertEquals(SERVICE, british.form().get("MessagingServiceSid"), "the UK: the messaging service");
        assertFalse(british.form().containsKey("From"));
        assertEquals(3, twilio.requests().size());
    }

    @Test
    void sendersPerCountryAreShownInTheConsoleSavedFromItAndExported() throws Exception {
        assertEquals(200, AdminRest.put(SMS, admin(), sms("+15005550006", "{\"DE\":\"ACME\"}")).statusCode());
        JsonNode tab = tab("phone-otp-sms");
        assertEquals("[\"DE=ACME\"]", tab.get("config").get("fromByCountry").toString(), tab.toString());
        assertTrue(tab("phone-otp-voice").get("config").path("fromByCountry").isMissingNode(), "voice has none");

        // saved from the console's tab: refused naming the region, then stored
        ObjectNode edited = tab.deepCopy();
        ((ObjectNode) edited.get("config")).set("fromByCountry", json.readTree("[\"DE=ACME\",\"FR=ACME BANK 12\"]"));
        HttpResponse<String> refused = AdminRest.put(componentPath(tab), admin(), edited.toString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Sender per country (fromByCountry.FR) must be"), refused.body());
        ((ObjectNode) edited.get("config")).set("fromByCountry", json.readTree("[\"DE=ACME\",\"FR=12345\"]"));
        HttpResponse<String> saved = AdminRest.put(componentPath(tab), admin(), edited.toString());
        assertTrue(saved.statusCode() / 100 == 2, saved.body());
        assertEquals(json.readTree("{\"DE\":\"ACME\",\"FR\":\"12345\"}"),
                json.readTree(AdminRest.get(SMS, admin()).body()).get("fromByCountry"));

        List<ComponentExportRepresentation> exported = realm.admin().partialExport(false, false).getComponents()
                .get("io.phoneotp.keycloak.delivery.PhoneOtpSender");
        ComponentExportRepresentation sms = exported.stream().filter(c -> "sms".equals(c.getSubType())).findFirst().orElseThrow();
        assertEquals(List.of("DE=ACME", "FR=12345"), sms.getConfig().get("fromByCountry").stream().sorted().toList(),
                "one REGION=sender value each (the database keeps no order)");
    }

    // ---- Twilio's answers about senders and regions -----------------------------------------------

    @Test
    void regionNotEnabled21408OffersACall() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0"));
        twilio.failNext(21408, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("Text messages cannot be sent to this number. Try a call."), pageText());
        assertOneRequestAndEvent("21408");
        assertEquals("Call me instead", codePage.channelSwitchLabel());

        codePage.switchChannel();
        codePage.submitCode(twilio.lastCallTo(ERIN).spokenCode());
        assertTrue(signedIn(), pageText());
    }

    @Test
    void numberNotReachableFromThisSender21612OffersACall() {
        twilio.failNext(21612, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("Text messages cannot be sent to this number. Try a call."), pageText());
        assertTrue(codePage.offersChannelSwitch());
        assertOneRequestAndEvent("21612");
    }

    @Test
    void senderNotOwnedOrNotSmsCapable21606OffersACall() {
        twilio.failNext(21606, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("Text messages cannot be sent to this number. Try a call."), pageText());
        assertTrue(codePage.offersChannelSwitch());
        assertOneRequestAndEvent("21606");
    }

    @Test
    void withoutACallTheUserIsSentToTheAdministrator() throws Exception {
        ComponentRepresentation voice = realm.admin().components().query(realm.getId(), "io.phoneotp.keycloak.delivery.PhoneOtpSender")
                .stream().filter(c -> "voice".equals(c.getSubType())).findFirst().orElseThrow();
        realm.admin().components().component(voice.getId()).remove();
        twilio.failNext(21612, 400);
        signInWithPassword("erin");

        assertTrue(pageText().contains("Text messages cannot be sent to this number. Contact your administrator."), pageText());
        assertFalse(pageText().contains("Try a call"), pageText());
        assertFalse(codePage.offersChannelSwitch());
        assertOneRequestAndEvent("21612");
    }

    @Test
    void theAdministratorsTestSendSaysWhatToChangeInTwilio() throws Exception {
        assertEquals(200, AdminRest.put(SMS, admin(), sms("+15005550006", "{\"DE\":\"ACME\"}")).statusCode());

        twilio.failNext(21408, 400);
        JsonNode regionOff = testSendRefused("+4915112345679", 21408);
        assertTrue(regionOff.get("error").asText().contains("enable DE under Messaging > Settings > Geo permissions"), regionOff.toString());

        twilio.failNext(21612, 400);
        JsonNode unreachable = testSendRefused("+4915112345679", 21612);
        assertTrue(unreachable.get("error").asText().contains("the sender in fromByCountry.DE cannot reach this number in DE"),
                unreachable.toString());

        twilio.failNext(21606, 400);
        JsonNode notOwned = testSendRefused("+14155550100", 21606);
        assertTrue(notOwned.get("error").asText().contains("the sender in from is not a number, short code or sender ID of this"
                + " Twilio account that can send text messages"), notOwned.toString());
        assertTrue(notOwned.get("error").asText().contains("or change from"), notOwned.toString());
        assertFalse(notOwned.toString().contains("4155550100") || notOwned.toString().contains("5005550006"), "no number in it");

        assertEquals(3, twilio.requests().size(), "one request per test send, none repeated");
    }

    private JsonNode testSendRefused(String to, int code) throws Exception {
        HttpResponse<String> response = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"" + to + "\"}");
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = json.readTree(response.body());
        assertEquals(code, body.get("providerCode").asInt());
        return body;
    }

    private void assertOneRequestAndEvent(String providerCode) {
        assertEquals(1, twilio.requests().size(), "exactly one request to Twilio");
        EventRepresentation event = lastEvent("erin", EventType.LOGIN_ERROR);
        assertEquals("gateway_error", event.getDetails().get("phone_otp_error"));
        assertEquals("sms", event.getDetails().get("phone_otp_channel"));
        assertEquals(providerCode, event.getDetails().get("phone_otp_provider_code"));
    }

    private JsonNode tab(String id) throws Exception {
        for (JsonNode component : json.readTree(AdminRest.get(TABS, admin()).body())) {
            if (id.equals(component.path("providerId").asText())) {
                return component;
            }
        }
        throw new AssertionError("no component for the tab " + id);
    }

    private static String componentPath(JsonNode component) {
        return "/admin/realms/" + REALM + "/components/" + component.get("id").asText();
    }
}
