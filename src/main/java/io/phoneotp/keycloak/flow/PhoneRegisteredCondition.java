package io.phoneotp.keycloak.flow;

import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** True when the user has a verified phone number: "ask for a code from those who have registered a phone". */
public class PhoneRegisteredCondition implements ConditionalAuthenticator {

    static final PhoneRegisteredCondition SINGLETON = new PhoneRegisteredCondition();

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        return user != null && PhoneNumberRegistry.verifiedNumber(user).isPresent();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
