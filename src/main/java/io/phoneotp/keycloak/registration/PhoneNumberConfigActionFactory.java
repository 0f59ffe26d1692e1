package io.phoneotp.keycloak.registration;

import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.link.DeliveryMode;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

public class PhoneNumberConfigActionFactory implements RequiredActionFactory {

    private static final PhoneNumberConfigAction ACTION = new PhoneNumberConfigAction();

    @Override
    public String getId() {
        return PhoneNumberRegistry.REGISTRATION_ACTION;
    }

    @Override
    public String getDisplayText() {
        return "Register phone number";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return ACTION;
    }

    /** {@code max_auth_age}, and the same code settings as the SMS step (code length, lifetime, tries, sends, cooldown, what the text carries). */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> properties = new ArrayList<>(MAX_AUTH_AGE_CONFIG_PROPERTIES);
        properties.addAll(CodeSettings.properties(Channel.SMS));
        properties.addAll(DeliveryMode.properties());
        return properties;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
