package io.phoneotp.keycloak.delivery;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import java.util.Optional;

/** Finds and saves a realm's provider setting per channel: one component each, name and sub-type = channel. */
public final class SenderSettingsStore {

    private SenderSettingsStore() {
    }

    public static Optional<ComponentModel> find(RealmModel realm, Channel channel) {
        return realm.getComponentsStream(realm.getId(), PhoneOtpSender.class.getName())
                .filter(c -> channel.id().equals(c.getSubType()))
                .findFirst();
    }

    public static Optional<SenderSettings> load(RealmModel realm, Channel channel) {
        return find(realm, channel).map(SenderSettings::of);
    }

    /**
     * The settings an administrator submitted, as they would be stored: trimmed, and the mask standing for the
     * stored token (the REST resource and the console's tab alike).
     */
    public static SenderSettings submitted(RealmModel realm, Channel channel, SenderSettings typed) {
        return typed.trimmed().keepingSecretOf(load(realm, channel).orElse(null));
    }

    /** Replaces the channel's setting; a change of type replaces the component, the other channel is untouched. */
    public static void save(RealmModel realm, Channel channel, SenderSettings settings) {
        Optional<ComponentModel> existing = find(realm, channel);
        if (existing.isPresent() && existing.get().getProviderId().equals(settings.type())) {
            ComponentModel model = existing.get();
            settings.writeTo(model);
            realm.updateComponent(model);
            return;
        }
        existing.ifPresent(realm::removeComponent);
        ComponentModel model = new ComponentModel();
        model.setName(channel.id());
        model.setParentId(realm.getId());
        model.setProviderType(PhoneOtpSender.class.getName());
        model.setSubType(channel.id());
        settings.writeTo(model);
        realm.addComponentModel(model);
    }
}
