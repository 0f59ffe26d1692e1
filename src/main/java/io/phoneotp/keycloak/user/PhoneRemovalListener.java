package io.phoneotp.keycloak.user;

import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * When a user removes their phone credential (Account Console, through Keycloak's
 * {@code delete_credential} action, which deletes the stored credential directly), the number
 * goes with it, so it stops receiving codes and stops appearing in tokens.
 */
public class PhoneRemovalListener implements EventListenerProvider {

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
        if (user != null && !PhoneCredential.exists(user)) {
            PhoneNumberRegistry.forget(user);
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
