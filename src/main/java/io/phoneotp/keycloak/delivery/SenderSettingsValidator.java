package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderFactory;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one check of a provider setting before it is stored, by the admin REST resource or by realm
 * import: first what holds for every provider, then what the setting's own provider judges.
 */
public final class SenderSettingsValidator {

    private SenderSettingsValidator() {
    }

    /** @return a message that starts with the offending field, or empty when the settings are usable */
    public static Optional<String> problem(KeycloakSession session, Channel channel, SenderSettings settings) {
        Map<String, PhoneOtpSenderFactory> registered = session.getKeycloakSessionFactory()
                .getProviderFactoriesStream(PhoneOtpSender.class)
                .map(PhoneOtpSenderFactory.class::cast)
                .collect(Collectors.toMap(ProviderFactory::getId, Function.identity()));
        return problem(channel, settings, registered);
    }

    /** @param registered the server's sender providers by id */
    static Optional<String> problem(Channel channel, SenderSettings s, Map<String, PhoneOtpSenderFactory> registered) {
        PhoneOtpSenderFactory factory = s.type() == null ? null : registered.get(s.type());
        if (factory == null) {
            String types = String.join(", ", new TreeSet<>(registered.keySet()));
            return Optional.of(s.type() == null ? "type is required: one of " + types : "type must be one of " + types);
        }
        if (s.from() != null && !PhoneNumbers.isE164(s.from())) {
            return Optional.of("from must be a valid phone number in E.164 format, such as +16175551212");
        }
        if (s.messagingServiceSid() != null && channel != Channel.SMS) {
            return Optional.of("messagingServiceSid is only for the sms channel; a call needs from");
        }
        if (s.voices() != null && channel != Channel.VOICE) {
            return Optional.of("voices is only for the voice channel");
        }
        return factory.settingsProblem(channel, s);
    }
}
