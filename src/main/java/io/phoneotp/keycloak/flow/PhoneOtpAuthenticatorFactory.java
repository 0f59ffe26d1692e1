package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.challenge.CodeSettings;
import io.phoneotp.keycloak.delivery.Channel;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.ArrayList;
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
    private final PhoneOtpAuthenticator withoutUser;

    PhoneOtpAuthenticatorFactory(Channel channel) {
        this.channel = channel;
        this.authenticator = new PhoneOtpAuthenticator(channel, false);
        this.withoutUser = new PhoneOtpAuthenticator(channel, true);
    }

    /**
     * Keycloak asks {@code requiresUser()} of the instance: a flow that reaches the step with no
     * identified user (an unknown identifier after the identify step or in forgot-password) gets
     * the instance that does without one, so it can answer like for a real account.
     */
    @Override
    public Authenticator create(KeycloakSession session) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        return authSession != null && authSession.getAuthenticatedUser() == null ? withoutUser : authenticator;
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
        return true; // a REQUIRED step sends a user without a number to register one
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(CodeSettings.properties(channel));
        properties.addAll(StepOptions.properties());
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
