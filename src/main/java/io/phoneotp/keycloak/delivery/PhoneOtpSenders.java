package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.SenderSettingsStore;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Looks up the sender a realm configured for a channel. */
public final class PhoneOtpSenders {

    private static final Logger LOG = Logger.getLogger(PhoneOtpSenders.class);

    private PhoneOtpSenders() {
    }

    public static PhoneOtpSender forChannel(KeycloakSession session, RealmModel realm, Channel channel) throws DeliveryException {
        ComponentModel model = SenderSettingsStore.find(realm, channel).orElse(null);
        PhoneOtpSenderFactory factory = model == null ? null
                : (PhoneOtpSenderFactory) session.getKeycloakSessionFactory().getProviderFactory(PhoneOtpSender.class, model.getProviderId());
        if (factory == null) {
            LOG.warnf("Realm '%s' has no usable %s provider setting: configure it with PUT /admin/realms/%s/phone-otp/providers/%s",
                    realm.getName(), channel.id(), realm.getName(), channel.id());
            throw new DeliveryException(DeliveryFailure.NOT_CONFIGURED, "no " + channel.id() + " provider configured");
        }
        return factory.create(session, model);
    }
}
