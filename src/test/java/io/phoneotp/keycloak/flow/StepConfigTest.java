package io.phoneotp.keycloak.flow;

import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatorConfigModel;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepConfigTest {

    @Test
    void missingSettingsTakeTheContractsDefaults() {
        assertEquals(new StepConfig(6, 300, 3, 3, 30), StepConfig.of(null));
        assertEquals(new StepConfig(6, 300, 3, 3, 30), StepConfig.of(config(Map.of())));
    }

    @Test
    void readsTheAdministratorsValues() {
        assertEquals(new StepConfig(8, 600, 5, 2, 0), StepConfig.of(config(Map.of(
                "codeLength", "8", "codeTtlSeconds", "600", "maxAttempts", "5", "maxSends", "2", "resendCooldownSeconds", "0"))));
    }

    @Test
    void outOfRangeValuesTakeTheNearestAllowedOneAndGarbageTheDefault() {
        assertEquals(new StepConfig(4, 3600, 100, 1, 30), StepConfig.of(config(Map.of(
                "codeLength", "2", "codeTtlSeconds", "99999", "maxAttempts", "1000", "maxSends", "0", "resendCooldownSeconds", "soon"))));
    }

    private static AuthenticatorConfigModel config(Map<String, String> values) {
        AuthenticatorConfigModel model = new AuthenticatorConfigModel();
        model.setConfig(values);
        return model;
    }
}
