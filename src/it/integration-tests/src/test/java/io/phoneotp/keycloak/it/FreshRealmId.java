package io.phoneotp.keycloak.it;

import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

import java.util.UUID;

/**
 * Gives each test class's copy of the test realm a new id. The send limits count per realm id in
 * the server's cluster-wide store for an hour, so a fresh id gives each class fresh counters.
 */
public class FreshRealmId implements RealmConfig {

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.id(UUID.randomUUID().toString());
    }
}
