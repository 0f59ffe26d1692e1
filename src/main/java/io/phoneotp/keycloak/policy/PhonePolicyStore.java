package io.phoneotp.keycloak.policy;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the phone policy as one realm attribute (JSON), which realm export and import carry. */
public final class PhonePolicyStore {

    static final String ATTRIBUTE = "phoneOtpPolicy";
    private static final Logger LOG = Logger.getLogger(PhonePolicyStore.class);

    private PhonePolicyStore() {
    }

    /** The last policy read per realm, with the attribute it was read from: a sign-in reads it several times, an edit rarely. */
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private record Parsed(String json, PhonePolicy policy) {
    }

    public static PhonePolicy load(RealmModel realm) {
        String json = realm.getAttribute(ATTRIBUTE);
        if (json == null || json.isBlank()) {
            return PhonePolicy.defaults();
        }
        Parsed parsed = PARSED.get(realm.getId());
        if (parsed != null && parsed.json().equals(json)) {
            return parsed.policy();
        }
        PhonePolicy policy = parse(realm, json);
        PARSED.put(realm.getId(), new Parsed(json, policy));
        return policy;
    }

    private static PhonePolicy parse(RealmModel realm, String json) {
        try {
            return JsonSerialization.readValue(json, PhonePolicy.class).withDefaults();
        } catch (IOException e) {
            // an imported realm with a broken attribute must not break every sign-in: the defaults are safe
            LOG.warnf("Realm '%s': attribute %s is not a phone policy (%s); using the defaults until it is saved again",
                    realm.getName(), ATTRIBUTE, e.getClass().getSimpleName());
            return PhonePolicy.defaults();
        }
    }

    /** Whether the realm has a policy of its own rather than the defaults. */
    public static boolean isStored(RealmModel realm) {
        String json = realm.getAttribute(ATTRIBUTE);
        return json != null && !json.isBlank();
    }

    public static void save(KeycloakSession session, RealmModel realm, PhonePolicy policy) {
        try {
            realm.setAttribute(ATTRIBUTE, JsonSerialization.writeValueAsString(policy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        session.getKeycloakSessionFactory().publish(new PhonePolicyChanged(session, realm));
    }
}
