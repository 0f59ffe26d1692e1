package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.Channel;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderSettingsValidatorTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    /** A token as Twilio issues them: 32 letters and digits. */
    static final String TOKEN = "0123456789abcdef0123456789ABCDEF";

    @Test
    void acceptsATwilioSettingWithASenderNumberOrAMessagingService() {
        assertEquals(Optional.empty(), SenderSettingsValidator.problem(Channel.SMS, new SenderSettings("twilio", SID, TOKEN, "+16175551212", null)));
        assertEquals(Optional.empty(), SenderSettingsValidator.problem(Channel.SMS,
                new SenderSettings("twilio", SID, "${vault.x}", null, "MG0123456789abcdef0123456789abcdef")));
        assertEquals(Optional.empty(), SenderSettingsValidator.problem(Channel.SMS, new SenderSettings("log", null, null, null, null)));
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertStartsWith("type", new SenderSettings(null, SID, TOKEN, "+16175551212", null), Channel.SMS);
        assertStartsWith("accountSid", new SenderSettings("twilio", "AC1", "t", "+16175551212", null), Channel.SMS);
        assertStartsWith("authToken", new SenderSettings("twilio", SID, SenderSettings.MASKED_SECRET, "+16175551212", null), Channel.SMS);
        assertStartsWith("from", new SenderSettings("twilio", SID, TOKEN, "6175551212", null), Channel.SMS);
        assertStartsWith("messagingServiceSid", new SenderSettings("twilio", SID, TOKEN, null, "MG1"), Channel.SMS);
        assertStartsWith("from and messagingServiceSid", new SenderSettings("twilio", SID, TOKEN, "+16175551212",
                "MG0123456789abcdef0123456789abcdef"), Channel.SMS);
        assertStartsWith("messagingServiceSid", new SenderSettings("twilio", SID, TOKEN, null,
                "MG0123456789abcdef0123456789abcdef"), Channel.VOICE);
    }

    @Test
    void anAuthTokenIsVisibleAsciiOfASaneLength() {
        for (String token : new String[]{TOKEN + "\u0000", "abc\r\nSet-Cookie: x=1", "<#assign x=1>", "0123 4567", "${vault.a b}",
                "${vault.x\u0000}", "\u202E" + TOKEN, "١٢٣٤٥٦", "A".repeat(257)}) {
            assertStartsWith("authToken", new SenderSettings("twilio", SID, token, "+16175551212", null), Channel.SMS);
        }
        for (String token : new String[]{TOKEN, "plain-secret-token", "${vault.twilio-token_2}", "A".repeat(256)}) {
            assertEquals(Optional.empty(), SenderSettingsValidator.problem(Channel.SMS, new SenderSettings("twilio", SID, token, "+16175551212", null)));
        }
    }

    @Test
    void masksAStoredTokenButNotAVaultReference() {
        assertEquals(SenderSettings.MASKED_SECRET, new SenderSettings("twilio", SID, "secret", null, null).masked().authToken());
        assertEquals("${vault.twilio}", new SenderSettings("twilio", SID, "${vault.twilio}", null, null).masked().authToken());
        SenderSettings stored = new SenderSettings("twilio", SID, "secret", null, null);
        assertEquals("secret", new SenderSettings("twilio", SID, SenderSettings.MASKED_SECRET, null, null).keepingSecretOf(stored).authToken());
    }

    private static void assertStartsWith(String prefix, SenderSettings settings, Channel channel) {
        String problem = SenderSettingsValidator.problem(channel, settings).orElseThrow();
        assertTrue(problem.startsWith(prefix), problem);
    }
}
