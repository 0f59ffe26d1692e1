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

/** The flow step {@code phone-otp-sms}: a code by text message. */
public class SmsOtpAuthenticatorFactory implements AuthenticatorFactory {

    public static final String ID = "phone-otp-sms";
    /** Our own credential category: returning {@code otp} would make the Account Console list a phantom authenticator app. */
    public static final String REFERENCE_CATEGORY = "phone-otp";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED};

    private static final PhoneOtpAuthenticator INSTANCE = new PhoneOtpAuthenticator(Channel.SMS);

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "SMS OTP";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code by text message to the user's phone number and checks it.";
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
        return StepConfig.properties();
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
