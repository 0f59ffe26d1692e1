package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on what came with senders per country and the administrator's own texts: Twilio's
 * answers about senders must not tell accounts apart in a sign-in by phone, the origin-bound last
 * line comes from the host Keycloak believes it serves, what an administrator types as a sender per
 * country or a voice is either used or refused (never silently dropped), and no administrator's
 * text fails a send.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class SendersAttackTest extends PhoneOtpTestBase {

    static final String SMS = ProviderSettingsAdminTest.SMS;
    static final String VOICE = VoiceOtpTest.VOICE;
    static final String ERIN = "+14155552673";
    static final String TINA = "+14155552682";
    static final String TABS = "/admin/realms/" + REALM + "/components?type=org.keycloak.services.ui.extend.UiTabProvider";

    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void restoreSettingsAndTexts() throws Exception {
        assertEquals(200, AdminRest.put(SMS, admin(), ProviderSettingsAdminTest.VAULT_SETTINGS).statusCode());
        assertEquals(200, AdminRest.put(VOICE, admin(), VoiceOtpTest.VOICE_SETTINGS).statusCode());
        var texts = realm.admin().localization();
        for (String language : texts.getRealmSpecificLocales()) {
            texts.deleteRealmLocalizationTexts(language);
        }
    }

    private static RawVisitor identify(String identifier) {
        return new RawVisitor().open(RawVisitor.LOGIN).submit("phone-otp-identify-form", Map.of("username", identifier));
    }

    // ---- 1. "Text messages cannot be sent to this number" must not tell accounts apart -------------

    /**
     * Twilio refusing texts to a real account's number (21612, 21408, 21606 now have a message of
     * their own, "Try a call") is answered in a sign-in by phone exactly like an identifier without
     * an account, on the first page and on the wrong-code page, and the log names the number masked.
     */
    @Test
    void aRealAccountWhoseTextsTwilioRefusesLooksLikeAnUnknownOne() throws Exception {
        bindBrowserFlow("passwordless-phone");
        long logged = Files.size(PhoneOtpServerConfig.SERVER_LOG);
        twilio.failNext(21612, 400);

        RawVisitor real = identify("tina");
        twilio.awaitText(TINA, 1); // refused by Twilio after the page was answered
        RawVisitor unknown = identify("nobody-at-all-" + System.nanoTime());

        assertEquals(SamePage.comparable(real.page()), SamePage.comparable(unknown.page()));
        assertFalse(real.page().contains("cannot be sent"), real.page());
        Map<String, String> wrong = Map.of("code", "000000".equals(twilio.lastMessageTo(TINA).code()) ? "111111" : "000000");
        assertEquals(SamePage.comparable(real.submit("phone-otp-form", wrong).page()),
                SamePage.comparable(unknown.submit("phone-otp-form", wrong).page()));

        String log = Poll.until(java.time.Duration.ofSeconds(10), "the lost code is logged", () -> {
            try {
                String tail = Files.readString(PhoneOtpServerConfig.SERVER_LOG).substring((int) logged);
                return tail.contains("could not be delivered") ? java.util.Optional.of(tail) : java.util.Optional.empty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(log.contains("SMS_UNREACHABLE, provider code 21612"), log);
        assertFalse(log.contains(TINA.substring(1)), "the number only masked: " + log);
    }

    // ---- 2. the origin-bound last line --------------------------------------------------------------

    /**
     * The last line {@code @host #code} binds the code to a site for iOS and Chrome. The host is the
     * one Keycloak believes the request came to: without a fixed hostname ({@code --hostname}), a
     * client (or a proxy that passes a client's {@code X-Forwarded-Host} on, with
     * {@code proxy-headers=xforwarded}) chooses it, and a phishing proxy gets codes bound to its own
     * site. This server runs without a hostname, as start-dev does; the test shows what it means.
     */
    @Test
    void withoutAFixedHostnameTheOriginBoundLineNamesTheHostTheRequestClaims() {
        RawVisitor visitor = new RawVisitor().open(RawVisitor.LOGIN).header("X-Forwarded-Host", "login.evil.example");
        visitor.submit("kc-form-login", Map.of("username", "erin", "password", "erin-password"));

        FakeTwilio.Recorded text = twilio.lastMessageTo(ERIN);
        String lastLine = text.body().substring(text.body().lastIndexOf('\n') + 1);
        assertEquals("@login.evil.example #" + text.code(), lastLine,
                "the origin-bound line follows the forwarded host when Keycloak has no fixed hostname: " + text.body());
    }

    /**
     * The realm's own Frontend URL (Realm settings → General), like the server's {@code --hostname},
     * fixes the host Keycloak serves the realm under: then a forwarded host changes nothing.
     */
    @Test
    void aRealmFrontendUrlKeepsTheOriginBoundLineOnTheRealSite() {
        var rep = realm.admin().toRepresentation();
        Map<String, String> attributes = new java.util.HashMap<>(rep.getAttributes() == null ? Map.of() : rep.getAttributes());
        attributes.put("frontendUrl", AdminRest.SERVER);
        rep.setAttributes(attributes);
        realm.admin().update(rep);
        try {
            RawVisitor visitor = new RawVisitor().open(RawVisitor.LOGIN).header("X-Forwarded-Host", "login.evil.example");
            visitor.submit("kc-form-login", Map.of("username", "erin", "password", "erin-password"));

            FakeTwilio.Recorded text = twilio.lastMessageTo(ERIN);
            assertTrue(text.body().endsWith("\n@localhost #" + text.code()), text.body());
        } finally {
            var restored = realm.admin().toRepresentation();
            Map<String, String> without = new java.util.HashMap<>(restored.getAttributes());
            without.put("frontendUrl", "");
            restored.setAttributes(without);
            realm.admin().update(restored);
        }
    }

    // ---- 3. what an administrator types is used or refused, never dropped ---------------------------

    /**
     * "Sender per country" takes one {@code REGION=sender} per line. A line without {@code =} (say
     * {@code DE ACME} or {@code DE: ACME}) was accepted and silently dropped: German numbers then get
     * the default sender, which the country may block. It must be refused, naming the field.
     */
    @Test
    void aSenderPerCountryLineWithoutItsEqualsSignIsRefusedNotDropped() throws Exception {
        assertTabRefuses("phone-otp-sms", "fromByCountry", List.of("DE ACME"));
        assertTabRefuses("phone-otp-sms", "fromByCountry", List.of("=ACME"));
        assertTrue(json.readTree(AdminRest.get(SMS, admin()).body()).path("fromByCountry").isMissingNode(), "nothing stored");
    }

    /** Two senders for one region: one of them was silently lost (the last in an order the database does not keep). */
    @Test
    void twoSendersForOneRegionAreRefused() throws Exception {
        assertTabRefuses("phone-otp-sms", "fromByCountry", List.of("DE=ACME", "DE=OTHERBANK"));
    }

    /** The same for the voices per language: {@code de-DE Polly.Marlene} was dropped, the call spoke Twilio's default voice. */
    @Test
    void aVoiceLineWithoutItsEqualsSignIsRefusedNotDropped() throws Exception {
        assertTabRefuses("phone-otp-voice", "voices", List.of("de-DE Polly.Marlene"));
    }

    private void assertTabRefuses(String tabId, String field, List<String> lines) throws Exception {
        JsonNode tab = tab(tabId);
        ObjectNode edited = tab.deepCopy();
        ((ObjectNode) edited.get("config")).set(field, json.valueToTree(lines));
        HttpResponse<String> answer = AdminRest.put("/admin/realms/" + REALM + "/components/" + tab.get("id").asText(), admin(),
                edited.toString());
        assertEquals(400, answer.statusCode(), field + " " + lines + " must be refused, not stored without it: " + answer.body());
        assertTrue(answer.body().contains(field), answer.body());
    }

    private JsonNode tab(String id) throws Exception {
        for (JsonNode component : json.readTree(AdminRest.get(TABS, admin()).body())) {
            if (id.equals(component.path("providerId").asText())) {
                return component;
            }
        }
        throw new AssertionError("no component for the tab " + id);
    }

    // ---- 4. an administrator's text never fails a send ----------------------------------------------

    /**
     * Only the wordings the jar ships are checked; a terser wording the jar has none of (the test
     * message has no {@code phoneOtpSmsTestTextShort}) was used unchecked once the full text did not
     * fit one segment, and a broken one failed the administrator's test send with a server error.
     */
    @Test
    void aBrokenShortWordingOfTheTestMessageNeverFailsTheTestSend() throws Exception {
        var texts = realm.admin().localization();
        texts.saveRealmLocalizationText("en", "phoneOtpSmsTestText", "{0}: this is a test. " + "It is long on purpose. ".repeat(8));
        texts.saveRealmLocalizationText("en", "phoneOtpSmsTestTextShort", "{0}: test {1,number");

        HttpResponse<String> test = AdminRest.post(SMS + "/test", admin(), "{\"to\":\"+14155550100\"}");

        assertEquals(200, test.statusCode(), "the test message goes out: " + test.body());
        assertEquals(1, twilio.textsTo("+14155550100").size());
    }
}
