package io.phoneotp.keycloak.challenge;

import io.phoneotp.keycloak.delivery.Channel;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatorConfigModel;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodeSettingsTest {

    @Test
    void missingSettingsTakeTheContractsDefaults() {
        assertEquals(new CodeSettings(6, 300, 3, 3, 30, 3), CodeSettings.of(null, Channel.SMS));
        assertEquals(new CodeSettings(6, 300, 3, 3, 30, 3), CodeSettings.of(config(Map.of()), Channel.SMS));
    }

    @Test
    void aVoiceCodeLivesLongerByDefault() {
        assertEquals(600, CodeSettings.of(null, Channel.VOICE).codeTtlSeconds());
        assertEquals(120, CodeSettings.of(config(Map.of("codeTtlSeconds", "120")), Channel.VOICE).codeTtlSeconds());
    }

    @Test
    void readsTheAdministratorsValues() {
        assertEquals(new CodeSettings(8, 600, 5, 2, 0, 2), CodeSettings.of(config(Map.of(
                "codeLength", "8", "codeTtlSeconds", "600", "maxAttempts", "5", "maxSends", "2", "resendCooldownSeconds", "0",
                "voiceRepeat", "2")), Channel.SMS));
    }

    @Test
    void outOfRangeValuesTakeTheNearestAllowedOneAndGarbageTheDefault() {
        assertEquals(new CodeSettings(4, 3600, 100, 1, 30, 5), CodeSettings.of(config(Map.of(
                "codeLength", "2", "codeTtlSeconds", "99999", "maxAttempts", "1000", "maxSends", "0", "resendCooldownSeconds", "soon",
                "voiceRepeat", "9")), Channel.SMS));
    }

    private static AuthenticatorConfigModel config(Map<String, String> values) {
        AuthenticatorConfigModel model = new AuthenticatorConfigModel();
        model.setConfig(values);
        return model;
    }
}
