package io.phoneotp.keycloak.user;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.UserModel;

import java.util.Map;
import java.util.Set;

/**
 * The rule that keeps one stolen factor (say the password) from moving another (the phone): a user
 * who has a second factor must have passed one within {@code max_auth_age} (the registration
 * action's setting) before the phone number is replaced or removed.
 */
public final class SecondFactorProof {

    private static final Set<CredentialTypeMetadata.Category> STRONG = Set.of(
            CredentialTypeMetadata.Category.TWO_FACTOR, CredentialTypeMetadata.Category.PASSWORDLESS);

    private SecondFactorProof() {
    }

    /**
     * @param completedExecutions Keycloak's {@code authenticators-completed} note of the sign-in (or user session), null when there is none
     * @return true when the user has no second factor, or passed one recently in that sign-in
     */
    public static boolean satisfied(KeycloakSession session, RealmModel realm, UserModel user, String completedExecutions,
                                    RequiredActionConfigModel actionConfig) {
        return !hasSecondFactor(session, user) || passedWithin(session, realm, user, completedExecutions, maxAuthAge(actionConfig));
    }

    /** The registration action's {@code max_auth_age}, or Keycloak's default for it. */
    public static int maxAuthAge(RequiredActionConfigModel config) {
        String value = config == null ? null : config.getConfigValue(Constants.MAX_AUTH_AGE_KEY);
        try {
            return value == null || value.isBlank() ? Constants.KC_ACTION_MAX_AGE : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Constants.KC_ACTION_MAX_AGE;
        }
    }

    private static boolean hasSecondFactor(KeycloakSession session, UserModel user) {
        if (PhoneNumberRegistry.verifiedNumber(user).isPresent()) { // the phone itself is one
            return true;
        }
        return user.credentialManager().getStoredCredentialsStream().map(CredentialModel::getType).distinct()
                .anyMatch(type -> isStrong(session, user, type));
    }

    /** Whether a step that checks a second factor was passed within {@code maxAge} seconds: one passed long ago proves as little as an old password. */
    private static boolean passedWithin(KeycloakSession session, RealmModel realm, UserModel user, String completedExecutions, int maxAge) {
        Map<String, Integer> completed = AuthenticatorUtils.parseCompletedExecutions(completedExecutions);
        int now = Time.currentTime();
        return completed.entrySet().stream()
                .filter(passed -> passed.getValue() != null && passed.getValue() + maxAge >= now)
                .map(passed -> realm.getAuthenticationExecutionById(passed.getKey()))
                .filter(execution -> execution != null && execution.getAuthenticator() != null)
                .map(AuthenticationExecutionModel::getAuthenticator)
                .map(id -> session.getKeycloakSessionFactory().getProviderFactory(Authenticator.class, id))
                .filter(AuthenticatorFactory.class::isInstance)
                .map(factory -> ((AuthenticatorFactory) factory).getReferenceCategory())
                .anyMatch(category -> category != null && isStrong(session, user, category));
    }

    private static boolean isStrong(KeycloakSession session, UserModel user, String credentialType) {
        CredentialTypeMetadataContext ctx = CredentialTypeMetadataContext.builder().user(user).build(session);
        return AuthenticatorUtil.getCredentialProviders(session)
                .filter(provider -> provider.supportsCredentialType(credentialType))
                .map(provider -> provider.getCredentialTypeMetadata(ctx))
                .anyMatch(metadata -> STRONG.contains(metadata.getCategory()));
    }
}
