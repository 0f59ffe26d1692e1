package io.phoneotp.keycloak.admin;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.SenderSettings;
import io.phoneotp.keycloak.delivery.SenderSettingsStore;
import io.phoneotp.keycloak.delivery.SenderSettingsValidator;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderFactory;

import java.util.List;
import java.util.Optional;

/**
 * The console's tab for one channel's message provider: the same fields as
 * {@code /admin/realms/{realm}/phone-otp/providers/{channel}}, the token masked, and a test send:
 * a number in "Send a test to" is sent a test message (or called) with the saved settings, and the
 * outcome shows in "Last test" when the tab is opened again.
 */
public abstract class SenderTabFactory extends ConsoleTabFactory {

    static final String TYPE = "type";
    static final String TEST_TO = "testTo";
    static final String LAST_TEST = "lastTest";
    private static final Logger LOG = Logger.getLogger(SenderTabFactory.class);

    private List<String> senderTypes = List.of();

    abstract Channel channel();

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        senderTypes = factory.getProviderFactoriesStream(PhoneOtpSender.class).map(ProviderFactory::getId).sorted().toList();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ProviderConfigurationBuilder fields = ProviderConfigurationBuilder.create()
                .property().name(TYPE).label("Provider").type(ProviderConfigProperty.LIST_TYPE).options(senderTypes)
                .helpText("twilio sends through Twilio; log only writes the message to the server log (development).").add()
                .property().name(SenderSettings.ACCOUNT_SID).label("Account SID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Twilio's account SID: AC followed by 32 hexadecimal characters (Twilio Console, Account info).").add()
                .property().name(SenderSettings.AUTH_TOKEN).label("Auth token").type(ProviderConfigProperty.PASSWORD).secret(true)
                .helpText("Twilio's auth token, or a vault reference such as ${vault.twilio-token}. The stored token is never shown;"
                        + " leave the mask to keep it.").add()
                .property().name(SenderSettings.FROM).label(channel() == Channel.VOICE ? "From number" : "From")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText(channel() == Channel.VOICE
                        ? "The Twilio number that calls, in E.164 format such as +16175551212. A call cannot come from a short code or a sender ID."
                        : "The sender phone number (E.164, such as +16175551212), short code (5 or 6 digits) or alphanumeric sender ID"
                        + " (at most 11 letters, digits and spaces, at least one letter, such as ACME) of your Twilio account.").add();
        if (channel() == Channel.SMS) {
            fields.property().name(SenderSettings.MESSAGING_SERVICE_SID).label("Messaging service SID").type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("Instead of From: a Twilio messaging service (MG followed by 32 hexadecimal characters).").add()
                    .property().name(SenderSettings.FROM_BY_COUNTRY).label("Sender per country").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                    .helpText("A sender for numbers of one country, as REGION=sender, such as DE=ACME or US=+16175551212: a number,"
                            + " short code, sender ID or messaging service SID. Other countries use From or the messaging service.").add();
        } else {
            fields.property().name(SenderSettings.VOICES).label("Voices").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                    .helpText("The voice per language, as language=voice, such as de=Polly.Marlene. Others use Twilio's default voice.").add();
        }
        return fields
                .property().name(TEST_TO).label(channel() == Channel.VOICE ? "Place a test call to" : "Send a test message to")
                .type(ProviderConfigProperty.STRING_TYPE).secret(true)
                .helpText("A phone number in E.164 format. When you save, the saved settings " + (channel() == Channel.VOICE
                        ? "call it" : "send it a test message") + "; open this tab again to see the outcome under Last test.").add()
                .property().name(LAST_TEST).label("Last test").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The outcome of the last test from this tab: the provider's message id, or its error code and what it means."
                        + " Written by the server; what you type here is not kept.").add()
                .build();
    }

    @Override
    public String getHelpText() {
        return "The realm's " + channel().id() + " provider for phone one-time codes";
    }

    @Override
    MultivaluedHashMap<String, String> view(KeycloakSession session, RealmModel realm, MultivaluedHashMap<String, String> current) {
        MultivaluedHashMap<String, String> view = new MultivaluedHashMap<>();
        SenderSettingsStore.find(realm, channel()).filter(stored -> !ConsoleMirror.isRemoving(session, stored))
                .map(SenderSettings::of).map(SenderSettings::masked).ifPresent(settings -> {
            ComponentModel written = new ComponentModel();
            settings.writeTo(written);
            view.putAll(written.getConfig());
            view.putSingle(TYPE, settings.type());
        });
        if (current.getFirst(LAST_TEST) != null) {
            view.putSingle(LAST_TEST, current.getFirst(LAST_TEST));
        }
        return view;
    }

    @Override
    Optional<String> problem(KeycloakSession session, RealmModel realm, ComponentModel tab) {
        String testTo = first(tab, TEST_TO);
        if (testTo != null && !PhoneNumbers.isE164(testTo)) {
            return Optional.of(TEST_TO + " " + TestSend.BAD_DESTINATION);
        }
        return SenderSettings.unreadableLine(tab).or(() -> SenderSettingsValidator.problem(session, channel(), settings(realm, tab)));
    }

    @Override
    void save(KeycloakSession session, RealmModel realm, ComponentModel tab, MultivaluedHashMap<String, String> before) {
        SenderSettingsStore.save(realm, channel(), settings(realm, tab));
        String testTo = first(tab, TEST_TO);
        // "Last test" is the server's: a test's outcome, else what it said before this save, never what was typed there
        String lastTest = before.getFirst(LAST_TEST);
        if (testTo != null) {
            TestSend outcome = TestSend.run(session, realm, channel(), testTo);
            LOG.infof("Realm '%s': %s (from the admin console)", realm.getName(), outcome.summary());
            TestSend.adminEventOfThisRequest(session, realm).ifPresent(event -> outcome.record(event, session));
            lastTest = outcome.summary();
        }
        ConsoleMirror.note(session, realm, getId(), LAST_TEST, lastTest);
    }

    /** The tab's content as a provider setting, the mask standing for the stored token. */
    private SenderSettings settings(RealmModel realm, ComponentModel tab) {
        ComponentModel asStored = new ComponentModel();
        asStored.setConfig(new MultivaluedHashMap<>(tab.getConfig()));
        asStored.setProviderId(first(tab, TYPE));
        return SenderSettingsStore.submitted(realm, channel(), SenderSettings.of(asStored));
    }

    /** Realm settings → "Phone: SMS". */
    public static final class Sms extends SenderTabFactory {
        @Override
        Channel channel() {
            return Channel.SMS;
        }

        @Override
        public String getId() {
            return "phone-otp-sms";
        }
    }

    /** Realm settings → "Phone: voice". */
    public static final class Voice extends SenderTabFactory {
        @Override
        Channel channel() {
            return Channel.VOICE;
        }

        @Override
        public String getId() {
            return "phone-otp-voice";
        }
    }
}
