package io.phoneotp.keycloak.challenge;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.DeliveryException;
import io.phoneotp.keycloak.delivery.PhoneOtpSenders;
import io.phoneotp.keycloak.delivery.VoiceScript;
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

    /** A text (with its validity) or a call, composed in the request where the user's language is known. */
    record Message(Channel channel, String text, int validitySeconds, VoiceScript script) {
        static Message text(String text, int validitySeconds) {
            return new Message(Channel.SMS, text, validitySeconds, null);
        }

        static Message call(VoiceScript script) {
            return new Message(Channel.VOICE, null, 0, script);
        }
    }

    private DeferredDelivery() {
    }

    static void submit(KeycloakSession session, RealmModel realm, String phone, Message message) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR).execute(() ->
                KeycloakModelUtils.runJobInTransaction(factory, s -> deliver(s, realmId, phone, message)));
    }

    private static void deliver(KeycloakSession session, String realmId, String phone, Message message) {
        RealmModel realm = session.realms().getRealm(realmId);
        session.getContext().setRealm(realm);
        try {
            var sender = PhoneOtpSenders.forChannel(session, realm, message.channel());
            if (message.channel() == Channel.VOICE) {
                sender.call(phone, message.script());
            } else {
                sender.sendSms(phone, message.text(), message.validitySeconds());
            }
        } catch (DeliveryException e) {
            LOG.warnf("Realm '%s': a code to %s could not be delivered by %s (%s, provider code %s)", realm.getName(),
                    PhoneNumbers.mask(phone), message.channel().id(), e.failure(), e.providerCode());
        } catch (RuntimeException e) {
            LOG.warnf("Realm '%s': a code to %s could not be delivered by %s (%s)", realm.getName(),
                    PhoneNumbers.mask(phone), message.channel().id(), e.getClass().getSimpleName());
        }
    }
}
