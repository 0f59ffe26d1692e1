package io.phoneotp.keycloak.registration;

import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.RequiredActionContext;
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
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Protects an existing number against takeover: it may be replaced only after a recent sign-in,
 * and, when the user has a second factor, only in a sign-in that passed one, so that one stolen
 * factor (say the password) cannot be used to replace another (the phone).
 */
final class ChangeGuard {

    /** Why a change is refused; each names the message that tells the user what to do. */
    enum Refusal {
        STALE_SIGN_IN("phoneOtpSignInAgainToChange"), SECOND_FACTOR_NEEDED("phoneOtpSecondFactorToChange");

        final String messageKey;

        Refusal(String messageKey) {
            this.messageKey = messageKey;
        }
    }

    private static final Set<CredentialTypeMetadata.Category> STRONG = Set.of(
            CredentialTypeMetadata.Category.TWO_FACTOR, CredentialTypeMetadata.Category.PASSWORDLESS);

    private ChangeGuard() {
    }

    static Optional<Refusal> refusal(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (PhoneNumberRegistry.number(user).isEmpty()) {
            return Optional.empty(); // a first number is a setup, not a change
        }
        if (staleSignIn(context)) {
            return Optional.of(Refusal.STALE_SIGN_IN);
        }
        if (hasSecondFactor(context.getSession(), user) && !passedSecondFactor(context.getSession(), context.getRealm(), user,
                context.getAuthenticationSession(), maxAuthAge(context.getConfig()))) {
            return Optional.of(Refusal.SECOND_FACTOR_NEEDED);
        }
        return Optional.empty();
    }

    /**
     * A sign-in in this very flow is fresh. One carried over from an earlier session (SSO cookie)
     * is fresh only within {@code max_auth_age}; Keycloak itself asks for a new sign-in when an
     * application starts the action on an older session, and this covers the other ways in.
     */
    private static boolean staleSignIn(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (!AuthenticatorUtil.isSSOAuthentication(authSession)) {
            return false;
        }
        UserSessionModel userSession = context.getSession().sessions().getUserSession(context.getRealm(),
                authSession.getParentSession().getId());
        String authTime = userSession == null ? null : userSession.getNote(AuthenticationManager.AUTH_TIME);
        if (authTime == null) {
            return true;
        }
        return Integer.parseInt(authTime) + maxAuthAge(context.getConfig()) < Time.currentTime();
    }

    static int maxAuthAge(RequiredActionConfigModel config) {
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
        Set<String> types = user.credentialManager().getStoredCredentialsStream().map(CredentialModel::getType).collect(Collectors.toSet());
        return types.stream().anyMatch(type -> isStrong(session, user, type));
    }

    /**
     * Whether a step that checks a second factor was passed within {@code maxAuthAge} seconds, in this
     * sign-in or the SSO session it continues: a second factor passed long ago proves as little as
     * an old password.
     */
    private static boolean passedSecondFactor(KeycloakSession session, RealmModel realm, UserModel user, AuthenticationSessionModel authSession,
                                              int maxAuthAge) {
        var completed = AuthenticatorUtils.parseCompletedExecutions(authSession.getUserSessionNotes().get(Constants.AUTHENTICATORS_COMPLETED));
        int now = Time.currentTime();
        return completed.entrySet().stream()
                .filter(passed -> passed.getValue() != null && passed.getValue() + maxAuthAge >= now)
                .map(java.util.Map.Entry::getKey)
                .map(realm::getAuthenticationExecutionById)
                .filter(execution -> execution != null && execution.getAuthenticator() != null)
                .map(AuthenticationExecutionModel::getAuthenticator)
                .map(id -> session.getKeycloakSessionFactory().getProviderFactory(org.keycloak.authentication.Authenticator.class, id))
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
