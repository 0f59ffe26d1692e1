package io.phoneotp.keycloak.user;

import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * When a user removes their phone credential (Account Console, through Keycloak's
 * {@code delete_credential} action or its account REST API, which delete the stored credential
 * directly), the number goes with it, so it stops receiving codes and stops appearing in tokens.
 * Keycloak lets a password alone remove it; then the next number would be a first number, with no
 * guard, and a stolen password would move the phone factor to the thief's phone. So the removal
 * holds only when the removing session passed a second factor as recently as a change of the
 * number needs ({@link SecondFactorProof}); otherwise the credential is put back.
 */
public class PhoneRemovalListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(PhoneRemovalListener.class);

    private final KeycloakSession session;

    public PhoneRemovalListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() != EventType.REMOVE_CREDENTIAL || event.getDetails() == null
                || !PhoneCredential.TYPE.equals(event.getDetails().get(Details.CREDENTIAL_TYPE))) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = realm == null || event.getUserId() == null ? null : session.users().getUserById(realm, event.getUserId());
        if (user == null || PhoneCredential.exists(user)) {
            return;
        }
        String completed = completedExecutions(realm, event.getSessionId());
        if (SecondFactorProof.satisfied(session, realm, user, completed, realm.getRequiredActionConfigByAlias(PhoneNumberRegistry.REGISTRATION_ACTION))) {
            PhoneNumberRegistry.forget(user);
        } else {
            PhoneNumberRegistry.keepAfterUnprovenRemoval(user);
            LOG.warnf("Realm '%s': a removal of the phone number %s without a recent second factor was undone", realm.getName(),
                    PhoneNumbers.mask(PhoneNumberRegistry.number(user).orElse("")));
        }
    }

    /** What the removing sign-in passed: the sign-in under way (Keycloak's delete_credential action), else the session of the request's token. */
    private String completedExecutions(RealmModel realm, String userSessionId) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession != null && authSession.getUserSessionNotes().get(Constants.AUTHENTICATORS_COMPLETED) != null) {
            return authSession.getUserSessionNotes().get(Constants.AUTHENTICATORS_COMPLETED);
        }
        UserSessionModel userSession = userSessionId == null ? null : session.sessions().getUserSession(realm, userSessionId);
        return userSession == null ? null : userSession.getNote(Constants.AUTHENTICATORS_COMPLETED);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
