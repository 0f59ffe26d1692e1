package io.phoneotp.keycloak.policy;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/** A realm's phone policy was saved. Published so that views of the policy follow the one stored copy. */
public record PhonePolicyChanged(KeycloakSession session, RealmModel realm) implements ProviderEvent {
}
