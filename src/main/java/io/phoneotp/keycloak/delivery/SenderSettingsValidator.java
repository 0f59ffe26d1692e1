package io.phoneotp.keycloak.delivery;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        Optional<String> senders = sendersProblem(channel, s);
        if (senders.isPresent()) {
            return senders;
        }
        if (s.messagingServiceSid() != null && channel != Channel.SMS) {
            return Optional.of("messagingServiceSid is only for the sms channel; a call needs from");
        }
        if (s.voices() != null && channel != Channel.VOICE) {
            return Optional.of("voices is only for the voice channel");
        }
        return factory.settingsProblem(channel, s);
    }

    /** {@code from} by channel, and the senders per region (SMS only), by the rules of {@link SenderId}. */
    private static Optional<String> sendersProblem(Channel channel, SenderSettings s) {
        SenderId from = SenderId.of(s.from()).orElse(null);
        if (s.from() != null && s.from().startsWith("+") && from != SenderId.PHONE_NUMBER) {
            // meant as a number: say what is wrong with it, not every other kind of sender
            return Optional.of("from must be a valid phone number in E.164 format, such as +16175551212");
        }
        if (channel == Channel.VOICE) {
            if (s.from() != null && from != SenderId.PHONE_NUMBER) {
                return Optional.of("from must be a phone number in E.164 format, such as +16175551212:"
                        + " a call cannot come from a short code or a sender ID");
            }
            if (s.fromByCountry() != null) {
                return Optional.of("fromByCountry is only for the sms channel; a call comes from from");
            }
            return Optional.empty();
        }
        if (s.from() != null && (from == null || from == SenderId.MESSAGING_SERVICE)) {
            return Optional.of("from must be " + SenderId.TEXT_SENDERS + " (a messaging service goes in messagingServiceSid)");
        }
        if (s.fromByCountry() == null) {
            return Optional.empty();
        }
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (Map.Entry<String, String> entry : s.fromByCountry().entrySet()) {
            if (!regions.contains(entry.getKey())) {
                return Optional.of("fromByCountry: '" + entry.getKey() + "' is not an ISO 3166 alpha-2 region in capitals, such as DE");
            }
            if (SenderId.of(entry.getValue()).isEmpty()) {
                return Optional.of("fromByCountry." + entry.getKey() + " must be " + SenderId.TEXT_SENDERS
                        + ", or a messaging service SID: MG followed by 32 hexadecimal characters");
            }
        }
        return Optional.empty();
    }
}
