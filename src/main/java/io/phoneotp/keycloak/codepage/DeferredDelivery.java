package io.phoneotp.keycloak.codepage;

import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import org.jboss.logging.Logger;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Hands a composed message to the realm's provider on Keycloak's executor, in a session of its own,
 * so the page does not wait for the provider. Failures go to the log, masked.
 */
final class DeferredDelivery {

    private static final Logger LOG = Logger.getLogger(DeferredDelivery.class);
    private static final String EXECUTOR = "phone-otp-delivery";

    private DeferredDelivery() {
    }

    static void submit(KeycloakSession session, RealmModel realm, String phone, OtpMessage message) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR).execute(() ->
                KeycloakModelUtils.runJobInTransaction(factory, s -> deliver(s, realmId, phone, message)));
    }

    private static void deliver(KeycloakSession session, String realmId, String phone, OtpMessage message) {
        RealmModel realm = session.realms().getRealm(realmId);
        session.getContext().setRealm(realm);
        try {
            message.sendWith(PhoneOtpSenders.forChannel(session, realm, message.channel()), phone);
        } catch (DeliveryException e) {
            LOG.warnf("Realm '%s': a code to %s could not be delivered by %s (%s, provider code %s)", realm.getName(),
                    PhoneNumbers.mask(phone), message.channel().id(), e.failure(), e.providerCode());
        } catch (RuntimeException e) {
            LOG.warnf("Realm '%s': a code to %s could not be delivered by %s (%s)", realm.getName(),
                    PhoneNumbers.mask(phone), message.channel().id(), e.getClass().getSimpleName());
        }
    }
}
