package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Codes read aloud by a phone call, and switching between text message and call. */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class VoiceOtpTest extends PhoneOtpTestBase {

    static final String ALICE = SmsSecondFactorTest.ALICE;
    static final String VOICE = "/admin/realms/" + REALM + "/phone-otp/providers/voice";
    static final String SMS = "/admin/realms/" + REALM + "/phone-otp/providers/sms";
    static final String VOICE_SETTINGS = "{\"type\":\"twilio\",\"accountSid\":\"" + FakeTwilio.ACCOUNT_SID
            + "\",\"authToken\":\"${vault.twilio-token}\",\"from\":\"+15005550009\",\"messagingServiceSid\":null}";

    final ObjectMapper json = new ObjectMapper();

    /** With the SMS step out of the way, the voice step is the second factor. */
    void voiceFirst() {
        requirement(SECOND_FACTOR_FLOW, "phone-otp-sms", "DISABLED");
    }

    @Test
    void signsInWithTheCodeReadAloud() {
        voiceFirst();
        signInWithPassword("alice");

        assertTrue(pageText().contains("We are calling +*********71 to read you a code."), pageText());
        FakeTwilio.Recorded call = twilio.lastCallTo(ALICE);
        assertEquals("/2010-04-01/Accounts/" + FakeTwilio.ACCOUNT_SID + "/Calls.json", call.path());
        assertEquals("+15005550009", call.form().get("From"));
        assertEquals(PhoneOtpServerConfig.VAULT_TOKEN, call.password());
        assertTrue(call.twiml().length() < 4000, "under Twilio's inline TwiML limit");
        assertTrue(call.twiml().contains("language=\"en-US\""), call.twiml());

        List<String> spoken = call.spoken();
        assertEquals("Hello, this is Phone OTP Test.", spoken.get(0));
        String code = call.spokenCode();
        String readAloud = "Your code is: " + String.join(", ", code.split("")) + ".";
        assertEquals(3, spoken.stream().filter(readAloud::equals).count(), "read three times, digit by digit: " + spoken);
        assertEquals("Goodbye.", spoken.get(spoken.size() - 1));
        assertTrue(call.twiml().contains("<Pause"), call.twiml());

        codePage.submitCode(code);

        assertTrue(signedIn(), pageText());
        EventRepresentation login = lastEvent("alice", EventType.LOGIN);
        assertEquals("voice", login.getDetails().get("phone_otp_channel"));
        assertTrue(login.getDetails().get("phone_otp_provider_id").startsWith("CA"), login.getDetails().toString());
    }

    @Test
    void aGermanUserHearsGermanInTheRealmsVoice() throws Exception {
        String withVoice = VOICE_SETTINGS.replace("\"messagingServiceSid\":null", "\"messagingServiceSid\":null,\"voices\":{\"de-DE\":\"Polly.Vicki-Neural\"}");
        assertEquals(200, AdminRest.put(VOICE, admin(), withVoice).statusCode());
        try {
            voiceFirst();
            signInWithPassword("hans");

            FakeTwilio.Recorded call = twilio.lastCallTo("+4915112345678");
            assertTrue(call.twiml().contains("language=\"de-DE\""), call.twiml());
            assertTrue(call.twiml().contains("voice=\"Polly.Vicki-Neural\""), call.twiml());
            assertEquals("Guten Tag, hier ist Phone OTP Test.", call.spoken().get(0));
            assertTrue(call.spoken().contains("Ihr Code lautet: " + String.join(", ", call.spokenCode().split("")) + "."), call.spoken().toString());
            assertTrue(pageText().matches("(?s).*Wir rufen \\+\\*+78 an.*"), pageText());
        } finally {
            assertEquals(200, AdminRest.put(VOICE, admin(), VOICE_SETTINGS).statusCode());
        }
    }

    @Test
    void switchingToACallAndBackSendsNewCodesWithinTheSameLimits() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "3"));
        signInWithPassword("alice");
        String textCode = twilio.lastMessageTo(ALICE).code();

        codePage.switchChannel(); // "Call me instead"
        assertTrue(pageText().contains("We are calling you with a new code."), pageText());
        assertEquals(1, twilio.callsTo(ALICE).size());
        String callCode = twilio.lastCallTo(ALICE).spokenCode();

        assertEquals("Send a text message instead", codePage.channelSwitchLabel());
        codePage.switchChannel();
        assertEquals(2, twilio.textsTo(ALICE).size());
        String lastCode = twilio.lastMessageTo(ALICE).code();

        assertTrue(pageText().contains("No more codes can be sent in this sign-in."), "three sends across both channels: " + pageText());
        assertFalse(codePage.offersChannelSwitch(), "no switch once the limit is reached");
        for (String old : List.of(textCode, callCode)) {
            assertNotEquals(lastCode, old, "each send has a new code");
            codePage.submitCode(old);
            assertTrue(pageText().contains("That code is not right."), "an earlier code no longer works: " + pageText());
        }
        codePage.submitCode(lastCode);
        assertTrue(signedIn(), pageText());
    }

    @Test
    void switchingHonoursTheCooldown() {
        signInWithPassword("alice");

        codePage.switchChannel();

        assertTrue(pageText().matches("(?s).*Please wait \\d+ seconds before asking for a new code.*"), pageText());
        assertTrue(twilio.callsTo(ALICE).isEmpty());
    }

    @Test
    void tryAnotherWayOffersTextMessagePhoneCallAndTheAuthenticatorApp() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0"));
        signInWithPassword("frank"); // has an authenticator app: Keycloak starts with its OTP form
        assertFalse(driver.driver().findElements(By.id("otp")).isEmpty(), "Keycloak's own OTP form: " + pageText());
        assertTrue(twilio.requests().isEmpty());

        chooseAnotherWay("Phone call");
        assertTrue(pageText().contains("We are calling +*********74"), pageText());
        assertEquals(1, twilio.callsTo("+14155552674").size());

        chooseAnotherWay("Text message");
        assertTrue(pageText().contains("We sent a code by text message to +*********74."), pageText());
        codePage.submitCode(twilio.lastMessageTo("+14155552674").code());
        assertTrue(signedIn(), pageText());
    }

    private void chooseAnotherWay(String choice) {
        driver.findElement(By.id("try-another-way")).click();
        String choices = pageText();
        for (String offered : List.of("Text message", "Phone call", "Authenticator Application")) {
            assertTrue(choices.contains(offered), offered + " offered: " + choices);
        }
        driver.findElement(By.xpath("//*[normalize-space(text())='" + choice + "']")).click();
    }

    @Test
    void aDestinationTwilioMayNotCallIsExplainedAndATextOffered() {
        for (int code : new int[]{21215, 21216}) {
            twilio.reset();
            voiceFirst();
            twilio.failNext(code, 400);
            signInWithPassword("alice");

            assertTrue(pageText().contains("We could not call this number. Try a text message instead"), pageText());
            assertEquals(String.valueOf(code), lastEvent("alice", EventType.LOGIN_ERROR).getDetails().get("phone_otp_provider_code"));
            assertEquals(1, twilio.requests().size());

            codePage.switchChannel(); // "Send a text message instead", at once: nothing reached the phone
            codePage.submitCode(twilio.lastMessageTo(ALICE).code());
            assertTrue(signedIn(), pageText());
            startFresh();
        }
    }

    @Test
    void anUnconfiguredVoiceProviderIsExplainedAndATextOffered() throws Exception {
        ComponentRepresentation voice = realm.admin().components().query(realm.getId(), "io.phoneotp.keycloak.delivery.PhoneOtpSender")
                .stream().filter(c -> "voice".equals(c.getSubType())).findFirst().orElseThrow();
        realm.admin().components().component(voice.getId()).remove();
        try {
            voiceFirst();
            signInWithPassword("alice");

            assertTrue(pageText().contains("We could not send a code right now."), pageText());
            assertTrue(twilio.requests().isEmpty());
            codePage.switchChannel();
            codePage.submitCode(twilio.lastMessageTo(ALICE).code());
            assertTrue(signedIn(), pageText());
        } finally {
            assertEquals(200, AdminRest.put(VOICE, admin(), VOICE_SETTINGS).statusCode());
        }
    }

    @Test
    void theAdministratorPlacesATestCall() throws Exception {
        HttpResponse<String> response = AdminRest.post(VOICE + "/test", admin(), "{\"to\":\"+14155550100\"}");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json.readTree(response.body()).get("sid").asText().startsWith("CA"));
        FakeTwilio.Recorded call = twilio.lastCallTo("+14155550100");
        assertTrue(call.spoken().contains("This is a test call. Your voice settings work."), call.spoken().toString());

        twilio.failNext(21216, 400);
        HttpResponse<String> refused = AdminRest.post(VOICE + "/test", admin(), "{\"to\":\"+14155550101\"}");
        assertEquals(400, refused.statusCode());
        assertEquals(21216, json.readTree(refused.body()).get("providerCode").asInt());
    }

    @Test
    void smsAndVoiceSettingsChangeIndependently() throws Exception {
        String smsBefore = AdminRest.get(SMS, admin()).body();

        String changed = VOICE_SETTINGS.replace("+15005550009", "+15005550010");
        assertEquals(200, AdminRest.put(VOICE, admin(), changed).statusCode());
        assertEquals(json.readTree(smsBefore), json.readTree(AdminRest.get(SMS, admin()).body()), "saving voice leaves sms alone");
        assertEquals("+15005550010", json.readTree(AdminRest.get(VOICE, admin()).body()).get("from").asText());

        assertEquals(200, AdminRest.put(SMS, admin(), smsBefore).statusCode());
        assertEquals("+15005550010", json.readTree(AdminRest.get(VOICE, admin()).body()).get("from").asText(), "saving sms leaves voice alone");

        assertRefused(VOICE, VOICE_SETTINGS.replace("\"from\":\"+15005550009\",\"messagingServiceSid\":null",
                "\"from\":null,\"messagingServiceSid\":\"MG00000000000000000000000000000002\""), "messagingServiceSid");
        assertRefused(VOICE, VOICE_SETTINGS.replace("\"messagingServiceSid\":null", "\"messagingServiceSid\":null,\"voices\":{\"de-DE\":\"Robot.Marvin\"}"), "voices");
        assertRefused(VOICE, VOICE_SETTINGS.replace("\"messagingServiceSid\":null", "\"messagingServiceSid\":null,\"voices\":{\"xx-XX\":\"Polly.Vicki-Neural\"}"), "voices");
        assertEquals(200, AdminRest.put(VOICE, admin(), VOICE_SETTINGS).statusCode());
    }
}
