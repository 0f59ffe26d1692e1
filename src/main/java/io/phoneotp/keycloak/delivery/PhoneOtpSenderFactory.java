package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.SenderSettings;
import io.phoneotp.keycloak.delivery.SenderSettingsValidator;
import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Optional;

/**
 * Creates a {@link PhoneOtpSender} for one realm-level provider setting. A component factory, so
 * that realm import validates the settings like the admin REST resource does.
 */
public interface PhoneOtpSenderFactory extends ComponentFactory<PhoneOtpSender, PhoneOtpSender> {

    @Override
    default void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        Channel channel = Channel.fromId(model.getSubType())
                .orElseThrow(() -> new ComponentValidationException("subType must be sms or voice"));
        SenderSettings settings = SenderSettings.of(model);
        SenderSettingsValidator.problem(channel, settings).or(() -> providerProblem(settings)).ifPresent(problem -> {
            throw new ComponentValidationException(problem);
        });
    }

    /** What only this provider can judge in a setting (Twilio: the names of its voices and languages). */
    default Optional<String> providerProblem(SenderSettings settings) {
        return Optional.empty();
    }

    @Override
    default List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(SenderSettings.ACCOUNT_SID).label("Account SID").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SenderSettings.AUTH_TOKEN).label("Auth token").type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(SenderSettings.FROM).label("From number (E.164)").type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SenderSettings.MESSAGING_SERVICE_SID).label("Messaging service SID").type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
