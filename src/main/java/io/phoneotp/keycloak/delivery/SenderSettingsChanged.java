package io.phoneotp.keycloak.delivery;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * A realm's provider setting was created, changed or is being removed ({@code removedComponentId}: the
 * component still exists when this is published), by whatever path (the admin REST
 * resource, the admin console's tab, Keycloak's component API). Published so that views of the
 * settings follow the one stored copy.
 */
public record SenderSettingsChanged(KeycloakSession session, RealmModel realm, String removedComponentId) implements ProviderEvent {

    public SenderSettingsChanged(KeycloakSession session, RealmModel realm) {
        this(session, realm, null);
    }
}
