package io.phoneotp.keycloak.delivery.twilio;

import com.twilio.http.TwilioRestClient;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.NotConfiguredSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.PhoneOtpSenderFactory;
import io.phoneotp.keycloak.delivery.SenderId;
import io.phoneotp.keycloak.delivery.SenderSettings;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Provider {@code twilio}. Realm settings: {@code accountSid}, {@code authToken}, {@code from} or
 * (SMS) {@code messagingServiceSid}, (SMS) {@code fromByCountry}, and (voice) {@code voices}. Server options (not realm
 * settings): {@code api-base-url}, {@code connect-timeout-millis}, {@code read-timeout-millis}.
 */
public class TwilioSenderFactory implements PhoneOtpSenderFactory {

    /**
     * A token goes into an HTTP header and a database column: visible ASCII only (no spaces, control
     * characters, NUL or other scripts) and of a sane length. A vault reference has the same form.
     */
    private static final Pattern AUTH_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,256}");

    public static final String ID = "twilio";

    private static final Logger LOG = Logger.getLogger(TwilioSenderFactory.class);
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

    private String apiBaseUrl;
    private int connectTimeoutMillis;
    private int readTimeoutMillis;

    /** One thread-safe client per realm setting, rebuilt when the account or the (vault-resolved) token changes. */
    private final Map<String, CachedClient> clients = new ConcurrentHashMap<>();

    private record CachedClient(String fingerprint, TwilioRestClient client) {
    }

    @Override
    public void init(Config.Scope config) {
        apiBaseUrl = config.get("api-base-url", "https://api.twilio.com");
        connectTimeoutMillis = config.getInt("connect-timeout-millis", 5000);
        readTimeoutMillis = config.getInt("read-timeout-millis", 10000);
    }

    @Override
    public PhoneOtpSender create(KeycloakSession session, ComponentModel model) {
        SenderSettings settings = SenderSettings.of(model);
        Optional<String> token = settings.resolvedAuthToken(session.vault());
        if (token.isEmpty()) {
            clients.remove(model.getId());
            return notConfigured(session, model, settings);
        }
        String fingerprint = fingerprint(settings.accountSid(), token.get());
        CachedClient cached = clients.compute(model.getId(), (id, current) ->
                current != null && current.fingerprint().equals(fingerprint) ? current
                        : new CachedClient(fingerprint, buildClient(session, settings.accountSid(), token.get())));
        return new TwilioSender(settings, cached.client());
    }

    /** Logged at every attempt, so the administrator learns of it from the log before users complain. */
    private static PhoneOtpSender notConfigured(KeycloakSession session, ComponentModel model, SenderSettings settings) {
        String why = SenderSettings.vaultKey(settings.authToken())
                .map(key -> "refers to vault key '" + key + "', which the vault cannot resolve")
                .orElse("is missing");
        RealmModel realm = session.realms().getRealm(model.getParentId());
        LOG.errorf("Realm '%s': the authToken of its %s provider %s; no code goes out on that channel until that is fixed",
                realm == null ? model.getParentId() : realm.getName(), model.getSubType(), why);
        return new NotConfiguredSender("the " + model.getSubType() + " provider's authToken " + why);
    }

    private TwilioRestClient buildClient(KeycloakSession session, String accountSid, String token) {
        TwilioTransport transport = new TwilioTransport(session.getProvider(HttpClientProvider.class).getHttpClient(),
                apiBaseUrl, connectTimeoutMillis, readTimeoutMillis);
        return new TwilioRestClient.Builder(accountSid, token).accountSid(accountSid).httpClient(transport).build();
    }

    private static String fingerprint(String accountSid, String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((accountSid + ":" + token).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<String> settingsProblem(Channel channel, SenderSettings s) {
        if (s.accountSid() == null || !ACCOUNT_SID.matcher(s.accountSid()).matches()) {
            return Optional.of("accountSid must be a Twilio account SID: AC followed by 32 hexadecimal characters");
        }
        if (s.authToken() == null || SenderSettings.MASKED_SECRET.equals(s.authToken())) {
            return Optional.of("authToken is required (a vault reference such as ${vault.twilio-token} is recommended)");
        }
        if (!AUTH_TOKEN.matcher(s.authToken()).matches()) {
            return Optional.of("authToken must be the token as Twilio shows it (at most 256 letters, digits and signs,"
                    + " no spaces or control characters) or a vault reference such as ${vault.twilio-token}");
        }
        if (s.messagingServiceSid() != null && !SenderId.isMessagingService(s.messagingServiceSid())) {
            return Optional.of("messagingServiceSid must be MG followed by 32 hexadecimal characters");
        }
        if (s.from() == null && s.messagingServiceSid() == null) {
            return Optional.of(channel == Channel.SMS ? "from or messagingServiceSid is required" : "from is required");
        }
        if (s.from() != null && s.messagingServiceSid() != null) {
            return Optional.of("from and messagingServiceSid exclude each other: set one of them");
        }
        return voicesProblem(s.voices());
    }

    private static Optional<String> voicesProblem(Map<String, String> voices) {
        if (voices == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> voice : voices.entrySet()) {
            if (TwilioVoice.languageOf(voice.getKey()).isEmpty()) {
                return Optional.of("voices: '" + voice.getKey() + "' is not a language Twilio speaks (such as de-DE)");
            }
            if (TwilioVoice.voiceOf(voice.getValue()).isEmpty()) {
                return Optional.of("voices: '" + voice.getValue() + "' is not a Twilio voice (such as Polly.Vicki-Neural)");
            }
        }
        return Optional.empty();
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        clients.remove(model.getId());
        PhoneOtpSenderFactory.super.preRemove(session, realm, model);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Sends codes through Twilio (Programmable Messaging and Voice).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(SenderSettings.ACCOUNT_SID).label("Account SID").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SenderSettings.AUTH_TOKEN).label("Auth token").type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(SenderSettings.FROM).label("From (number, short code or sender ID)").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SenderSettings.MESSAGING_SERVICE_SID).label("Messaging service SID").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SenderSettings.FROM_BY_COUNTRY).label("Sender per country (REGION=sender)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .build();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("api-base-url").type("string").helpText("Base URL of Twilio's REST API").defaultValue("https://api.twilio.com").add()
                .property().name("connect-timeout-millis").type("int").helpText("Connect timeout for Twilio requests, milliseconds").defaultValue(5000).add()
                .property().name("read-timeout-millis").type("int").helpText("Read timeout for Twilio requests, milliseconds").defaultValue(10000).add()
                .build();
    }
}
