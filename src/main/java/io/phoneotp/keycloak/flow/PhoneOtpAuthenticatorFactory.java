package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.delivery.Channel;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/** What the SMS and voice steps share: one authenticator class, per channel, with the same settings. */
abstract class PhoneOtpAuthenticatorFactory implements AuthenticatorFactory {

    /** Our own credential category: returning {@code otp} would make the Account Console list a phantom authenticator app. */
    public static final String REFERENCE_CATEGORY = "phone-otp";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED};

    private final Channel channel;
    private final PhoneOtpAuthenticator authenticator;

    PhoneOtpAuthenticatorFactory(Channel channel) {
        this.channel = channel;
        this.authenticator = new PhoneOtpAuthenticator(channel);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
    }

    @Override
    public String getReferenceCategory() {
        return REFERENCE_CATEGORY;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return StepConfig.properties(channel);
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
