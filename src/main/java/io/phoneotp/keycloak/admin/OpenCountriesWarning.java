package io.phoneotp.keycloak.admin;

import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * Says once, when the server has started, which realms send codes to every country: restricting
 * {@code allowedCountries} is the main defence against SMS pumping, and an open list is the
 * default. Only realms that have configured a message provider are named.
 */
final class OpenCountriesWarning {

    private static final Logger LOG = Logger.getLogger(OpenCountriesWarning.class);

    private OpenCountriesWarning() {
    }

    static void registerOn(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                        .filter(OpenCountriesWarning::sendsCodes)
                        .forEach(realm -> PhonePolicyStore.load(realm).warnings().forEach(warning ->
                                LOG.warnf("Realm '%s' phone policy: %s", realm.getName(), warning))));
            }
        });
    }

    private static boolean sendsCodes(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), PhoneOtpSender.class.getName()).findAny().isPresent();
    }
}
