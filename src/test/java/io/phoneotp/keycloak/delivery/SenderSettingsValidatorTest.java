package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.log.LogSenderFactory;
import io.phoneotp.keycloak.delivery.twilio.TwilioSenderFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderSettingsValidatorTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    /** A token as Twilio issues them: 32 letters and digits. */
    static final String TOKEN = "0123456789abcdef0123456789ABCDEF";
    /** What this jar registers in META-INF/services. */
    static final Map<String, PhoneOtpSenderFactory> REGISTERED = Map.of("twilio", new TwilioSenderFactory(), "log", new LogSenderFactory());

    @Test
    void acceptsATwilioSettingWithASenderNumberOrAMessagingService() {
        assertEquals(Optional.empty(), problem(Channel.SMS, new SenderSettings("twilio", SID, "t", "+16175551212", null)));
        assertEquals(Optional.empty(), problem(Channel.SMS,
                new SenderSettings("twilio", SID, "${vault.x}", null, "MG0123456789abcdef0123456789abcdef")));
        assertEquals(Optional.empty(), problem(Channel.SMS, new SenderSettings("log", null, null, null, null)));
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
        assertStartsWith("voices", new SenderSettings("twilio", SID, "t", "+16175551212", null,
                Map.of("de-DE", "Polly.Vicki-Neural")), Channel.SMS);
    }

    @Test
    void anUnknownTypeIsRefusedListingTheRegisteredProviders() {
        assertEquals(Optional.of("type must be one of log, twilio"),
                problem(Channel.SMS, new SenderSettings("carrier-pigeon", null, null, "+16175551212", null)));
        assertEquals(Optional.of("type is required: one of log, twilio"),
                problem(Channel.SMS, new SenderSettings(null, null, null, "+16175551212", null)));
    }

    @Test
    void aNewProviderIsJudgedByItsOwnFactoryAfterTheChecksEveryProviderShares() {
        Pigeon pigeon = new Pigeon();
        Map<String, PhoneOtpSenderFactory> registered = Map.of("carrier-pigeon", pigeon, "log", new LogSenderFactory());

        assertEquals(Optional.empty(), SenderSettingsValidator.problem(Channel.SMS,
                new SenderSettings("carrier-pigeon", null, null, "+16175551212", null), registered));
        assertEquals(Optional.of("accountSid must name a loft"), SenderSettingsValidator.problem(Channel.VOICE,
                new SenderSettings("carrier-pigeon", "nowhere", null, "+16175551212", null), registered));
        assertEquals(List.of(Channel.SMS, Channel.VOICE), pigeon.asked);

        assertTrue(SenderSettingsValidator.problem(Channel.SMS,
                new SenderSettings("carrier-pigeon", "nowhere", null, "6175551212", null), registered).orElseThrow().startsWith("from"));
        assertEquals(2, pigeon.asked.size(), "a setting that fails a shared check never reaches the provider");
    }

    @Test
    void anAuthTokenIsVisibleAsciiOfASaneLength() {
        for (String token : new String[]{TOKEN + "\u0000", "abc\r\nSet-Cookie: x=1", "<#assign x=1>", "0123 4567", "${vault.a b}",
                "${vault.x\u0000}", "\u202E" + TOKEN, "١٢٣٤٥٦", "A".repeat(257)}) {
            assertStartsWith("authToken", new SenderSettings("twilio", SID, token, "+16175551212", null), Channel.SMS);
        }
        for (String token : new String[]{TOKEN, "plain-secret-token", "${vault.twilio-token_2}", "A".repeat(256)}) {
            assertEquals(Optional.empty(), problem(Channel.SMS, new SenderSettings("twilio", SID, token, "+16175551212", null)));
        }
    }

    @Test
    void masksAStoredTokenButNotAVaultReference() {
        assertEquals(SenderSettings.MASKED_SECRET, new SenderSettings("twilio", SID, "secret", null, null).masked().authToken());
        assertEquals("${vault.twilio}", new SenderSettings("twilio", SID, "${vault.twilio}", null, null).masked().authToken());
        SenderSettings stored = new SenderSettings("twilio", SID, "secret", null, null);
        assertEquals("secret", new SenderSettings("twilio", SID, SenderSettings.MASKED_SECRET, null, null).keepingSecretOf(stored).authToken());
    }

    private static Optional<String> problem(Channel channel, SenderSettings settings) {
        return SenderSettingsValidator.problem(channel, settings, REGISTERED);
    }

    private static void assertStartsWith(String prefix, SenderSettings settings, Channel channel) {
        String problem = problem(channel, settings).orElseThrow();
        assertTrue(problem.startsWith(prefix), problem);
    }

    /** A provider from another jar: only its own package knows its rules. */
    static class Pigeon implements PhoneOtpSenderFactory {
        final List<Channel> asked = new ArrayList<>();

        @Override
        public Optional<String> settingsProblem(Channel channel, SenderSettings settings) {
            asked.add(channel);
            return "nowhere".equals(settings.accountSid()) ? Optional.of("accountSid must name a loft") : Optional.empty();
        }

        @Override
        public PhoneOtpSender create(KeycloakSession session, ComponentModel model) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getId() {
            return "carrier-pigeon";
        }

        @Override
        public String getHelpText() {
            return "Flies the code over.";
        }
    }
}
