package io.phoneotp.keycloak.delivery.twilio;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.SenderSettings;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Twilio's own rules for a realm setting, which only this package knows. */
class TwilioSenderFactoryTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String SERVICE = "MG0123456789abcdef0123456789abcdef";
    final TwilioSenderFactory factory = new TwilioSenderFactory();

    @Test
    void acceptsAnAccountWithATokenAndASenderNumberOrAMessagingService() {
        assertEquals(Optional.empty(), factory.settingsProblem(Channel.SMS, new SenderSettings("twilio", SID, "t", "+16175551212", null)));
        assertEquals(Optional.empty(), factory.settingsProblem(Channel.SMS, new SenderSettings("twilio", SID, "${vault.x}", null, SERVICE)));
        assertEquals(Optional.empty(), factory.settingsProblem(Channel.VOICE, new SenderSettings("twilio", SID, "t", "+16175551212", null,
                Map.of("de-DE", "Polly.Vicki-Neural"))));
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertStartsWith("accountSid", Channel.SMS, new SenderSettings("twilio", "AC1", "t", "+16175551212", null));
        assertStartsWith("accountSid", Channel.SMS, new SenderSettings("twilio", null, "t", "+16175551212", null));
        assertStartsWith("authToken", Channel.SMS, new SenderSettings("twilio", SID, null, "+16175551212", null));
        assertStartsWith("authToken", Channel.SMS, new SenderSettings("twilio", SID, SenderSettings.MASKED_SECRET, "+16175551212", null));
        assertStartsWith("messagingServiceSid", Channel.SMS, new SenderSettings("twilio", SID, "t", null, "MG1"));
        assertStartsWith("from or messagingServiceSid", Channel.SMS, new SenderSettings("twilio", SID, "t", null, null));
        assertStartsWith("from is required", Channel.VOICE, new SenderSettings("twilio", SID, "t", null, null));
        assertStartsWith("from and messagingServiceSid", Channel.SMS, new SenderSettings("twilio", SID, "t", "+16175551212", SERVICE));
        assertStartsWith("voices: 'xx-XX'", Channel.VOICE, new SenderSettings("twilio", SID, "t", "+16175551212", null,
                Map.of("xx-XX", "Polly.Vicki-Neural")));
        assertStartsWith("voices: 'Nobody'", Channel.VOICE, new SenderSettings("twilio", SID, "t", "+16175551212", null,
                Map.of("de-DE", "Nobody")));
    }

    @Test
    void theTokenIsASecretTheAdminConsoleMasks() {
        ProviderConfigProperty token = factory.getConfigProperties().stream()
                .filter(p -> SenderSettings.AUTH_TOKEN.equals(p.getName())).findFirst().orElseThrow();
        assertTrue(token.isSecret());
        assertEquals(ProviderConfigProperty.PASSWORD, token.getType());
    }

    private void assertStartsWith(String prefix, Channel channel, SenderSettings settings) {
        String problem = factory.settingsProblem(channel, settings).orElseThrow();
        assertTrue(problem.startsWith(prefix), problem);
    }
}
