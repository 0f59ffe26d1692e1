package io.phoneotp.keycloak.delivery;

import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Creates a {@link PhoneOtpSender} for one realm-level provider setting. A component factory, so
 * that realm import validates the settings like the admin REST resource does.
 * <p>
 * {@code create} never fails: a setting that cannot be used as stored (a vault reference the vault
 * cannot resolve, say) gets a {@link NotConfiguredSender}.
 */
public interface PhoneOtpSenderFactory extends ComponentFactory<PhoneOtpSender, PhoneOtpSender> {

    @Override
    default void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        Channel channel = Channel.fromId(model.getSubType())
                .orElseThrow(() -> new ComponentValidationException("subType must be sms or voice"));
        SenderSettings.unreadableLine(model).or(() -> SenderSettingsValidator.problem(session, channel, SenderSettings.of(model)))
                .ifPresent(problem -> {
            throw new ComponentValidationException(problem);
        });
    }

    @Override
    default void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        session.getKeycloakSessionFactory().publish(new SenderSettingsChanged(session, realm));
    }

    @Override
    default void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        session.getKeycloakSessionFactory().publish(new SenderSettingsChanged(session, realm));
    }

    @Override
    default void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        session.getKeycloakSessionFactory().publish(new SenderSettingsChanged(session, realm, model.getId()));
    }

    /**
     * What only this provider can judge in a setting that passed the checks every provider shares
     * (Twilio: its account and service SIDs, the token, the names of its voices).
     *
     * @return a message that starts with the offending field, or empty when the setting is usable
     */
    default Optional<String> settingsProblem(Channel channel, SenderSettings settings) {
        return Optional.empty();
    }

    @Override
    default List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
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
