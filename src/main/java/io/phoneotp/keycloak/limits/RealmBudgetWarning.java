package io.phoneotp.keycloak.limits;

import org.keycloak.common.util.Time;
import org.jboss.logging.Logger;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.UUID;

/**
 * Tells administrators, once per hourly window, that the realm's send budget is spent: a WARN
 * line in the server log and an admin event (operation ACTION on the policy's path), so
 * monitoring sees SMS pumping while it happens.
 */
final class RealmBudgetWarning {

    private static final Logger LOG = Logger.getLogger(RealmBudgetWarning.class);

    private RealmBudgetWarning() {
    }

    static void once(KeycloakSession session, RealmModel realm, int budget, HourlyCounter counter) {
        long secondsLeft = counter.secondsLeft();
        if (!session.singleUseObjects().putIfAbsent("phone-otp:budget-warned:" + realm.getId() + ":" + counter.window(), secondsLeft + 60)) {
            return;
        }
        LOG.warnf("Realm '%s' has sent its %d phone codes for this hour (maxSendsPerRealmPerHour): no more codes are sent "
                + "for %d minutes. If this is unexpected, look for SMS pumping.", realm.getName(), budget, (secondsLeft + 59) / 60);

        AdminEvent event = new AdminEvent();
        event.setId(UUID.randomUUID().toString());
        event.setTime(Time.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        event.setAuthDetails(auth);
        event.setOperationType(OperationType.ACTION);
        event.setResourceType(ResourceType.REALM);
        event.setResourcePath("phone-otp/policy");
        event.setError("phone_otp_realm_budget_spent");
        event.setDetails(Map.of("maxSendsPerRealmPerHour", Integer.toString(budget)));
        event.setRepresentation("{\"warning\":\"maxSendsPerRealmPerHour reached\",\"maxSendsPerRealmPerHour\":" + budget + "}");
        if (realm.isAdminEventsEnabled()) {
            session.getProvider(EventStoreProvider.class).onEvent(event, true);
        }
        realm.getEventsListenersStream()
                .map(id -> session.getProvider(EventListenerProvider.class, id))
                .filter(java.util.Objects::nonNull)
                .forEach(listener -> listener.onEvent(event, true));
    }
}
