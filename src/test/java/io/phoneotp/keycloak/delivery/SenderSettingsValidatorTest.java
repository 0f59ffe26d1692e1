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
    void aTextMessageComesFromANumberAShortCodeOrASenderIdACallOnlyFromANumber() {
        for (String from : new String[]{"+16175551212", "12345", "894546", "ACME", "Acme Bank 1"}) {
            assertEquals(Optional.empty(), problem(Channel.SMS, new SenderSettings("twilio", SID, TOKEN, from, null)), from);
        }
        for (String from : new String[]{"1234", "6175551212", "Acme Bank 12", "ACME-BANK", "123 456", "MG0123456789abcdef0123456789abcdef"}) {
            assertStartsWith("from must be a phone number in E.164 format", new SenderSettings("twilio", SID, TOKEN, from, null), Channel.SMS);
        }
        for (Channel channel : Channel.values()) {
            assertEquals(Optional.of("from must be a valid phone number in E.164 format, such as +16175551212"),
                    problem(channel, new SenderSettings("twilio", SID, TOKEN, "+1555", null)), "meant as a number");
        }
        assertEquals(Optional.empty(), problem(Channel.VOICE, new SenderSettings("twilio", SID, TOKEN, "+16175551212", null)));
        for (String from : new String[]{"12345", "ACME"}) {
            assertEquals(Optional.of("from must be a phone number in E.164 format, such as +16175551212:"
                    + " a call cannot come from a short code or a sender ID"),
                    problem(Channel.VOICE, new SenderSettings("twilio", SID, TOKEN, from, null)), from);
        }
    }

    @Test
    void aSenderPerCountryIsAnySenderForARegionOnlyForTextMessages() {
        Map<String, String> senders = Map.of("DE", "ACME", "US", "+16175551212", "GB", "12345", "FR", "MG0123456789abcdef0123456789abcdef");
        assertEquals(Optional.empty(), problem(Channel.SMS, withSenders("+16175551212", senders)));
        assertStartsWith("fromByCountry: 'de' is not an ISO 3166", withSenders("+16175551212", Map.of("de", "ACME")), Channel.SMS);
        assertStartsWith("fromByCountry: 'XX'", withSenders("+16175551212", Map.of("XX", "ACME")), Channel.SMS);
        assertStartsWith("fromByCountry.DE must be", withSenders("+16175551212", Map.of("DE", "ACME-BANK")), Channel.SMS);
        assertStartsWith("fromByCountry.DE must be", withSenders("+16175551212", Map.of("DE", "")), Channel.SMS);
        assertStartsWith("fromByCountry is only for the sms channel", withSenders("+16175551212", Map.of("DE", "+4915112345678")), Channel.VOICE);
        assertStartsWith("from or messagingServiceSid is required", withSenders(null, Map.of("DE", "ACME")), Channel.SMS);
    }

    @Test
    void theSenderOfATextMessageIsTheOneOfTheDestinationsRegionElseTheDefault() {
        SenderSettings s = withSenders("+16175551212", Map.of("DE", "ACME", "FR", "MG0123456789abcdef0123456789abcdef"));
        assertEquals("ACME", s.smsSenderFor("DE"));
        assertEquals("fromByCountry.DE", s.smsSenderField("DE"));
        assertEquals("MG0123456789abcdef0123456789abcdef", s.smsSenderFor("FR"));
        assertEquals("+16175551212", s.smsSenderFor("US"));
        assertEquals("from", s.smsSenderField("US"));
        assertEquals("+16175551212", s.smsSenderFor(null));
        SenderSettings service = new SenderSettings("twilio", SID, TOKEN, null, "MG0123456789abcdef0123456789abcdef", null, Map.of("DE", "ACME"));
        assertEquals("MG0123456789abcdef0123456789abcdef", service.smsSenderFor("US"));
        assertEquals("messagingServiceSid", service.smsSenderField("US"));
    }

    @Test
    void sendersPerCountryAreStoredAsRegionEqualsSenderAndReadBack() {
        SenderSettings s = withSenders("+16175551212", Map.of("US", "12345", "DE", "ACME"));
        ComponentModel model = new ComponentModel();
        s.writeTo(model);
        assertEquals(List.of("DE=ACME", "US=12345"), model.getConfig().get(SenderSettings.FROM_BY_COUNTRY));
        assertEquals(s.fromByCountry(), SenderSettings.of(model).fromByCountry());
        assertEquals(s.fromByCountry(), s.masked().fromByCountry(), "not secret");

        withSenders("+16175551212", null).writeTo(model);
        assertEquals(null, model.getConfig().get(SenderSettings.FROM_BY_COUNTRY), "removed with the last entry");
    }

    private static SenderSettings withSenders(String from, Map<String, String> senders) {
        return new SenderSettings("twilio", SID, TOKEN, from, null, null, senders);
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
