package io.phoneotp.keycloak.limits;

import org.keycloak.common.util.Time;
import io.phoneotp.keycloak.policy.PhonePolicy;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The realm policy's hourly send limits, across all sign-ins and cluster nodes and both
 * channels: per phone number, per user, per client IP and for the whole realm (a budget against
 * SMS pumping). A send is allowed only when every limit has room; then it counts in each.
 */
public final class SendLimits {

    /** Which limit stopped a send; the scope goes to the event as a detail. */
    public enum Scope { NUMBER, USER, IP, REALM }

    public record Refusal(Scope scope, long retryAfterSeconds) {
        /** Whole minutes to tell the user, never less than one. */
        public long retryAfterMinutes() {
            return Math.max(1, (retryAfterSeconds + 59) / 60);
        }
    }

    private SendLimits() {
    }

    /**
     * @param userId null where no account is known (the identify step's unknown identifiers)
     * @return empty when the send may go ahead (and has been counted), else which limit stopped it
     */
    public static Optional<Refusal> take(KeycloakSession session, RealmModel realm, PhonePolicy policy,
                                         String number, String userId, String ip) {
        long now = Time.currentTimeMillis() / 1000;
        var store = session.singleUseObjects();
        String r = realm.getId();
        List<Scope> scopes = new ArrayList<>();
        List<HourlyCounter> counters = new ArrayList<>();
        scopes.add(Scope.NUMBER);
        counters.add(new HourlyCounter(store, r + ":number:" + number, policy.maxSendsPerNumberPerHour(), now));
        if (userId != null) {
            scopes.add(Scope.USER);
            counters.add(new HourlyCounter(store, r + ":user:" + userId, policy.maxSendsPerUserPerHour(), now));
        }
        if (ip != null) {
            scopes.add(Scope.IP);
            counters.add(new HourlyCounter(store, r + ":ip:" + ip, policy.maxSendsPerIpPerHour(), now));
        }
        scopes.add(Scope.REALM);
        counters.add(new HourlyCounter(store, r + ":realm", policy.maxSendsPerRealmPerHour(), now));

        // look first, so a send refused by one limit does not use up the others
        for (int i = 0; i < counters.size(); i++) {
            if (counters.get(i).full()) {
                return Optional.of(refusal(session, realm, policy, scopes.get(i), counters.get(i)));
            }
        }
        for (int i = 0; i < counters.size(); i++) {
            if (!counters.get(i).tryTake()) { // lost a race for the last slot
                return Optional.of(refusal(session, realm, policy, scopes.get(i), counters.get(i)));
            }
        }
        return Optional.empty();
    }

    private static Refusal refusal(KeycloakSession session, RealmModel realm, PhonePolicy policy, Scope scope, HourlyCounter counter) {
        if (scope == Scope.REALM) {
            RealmBudgetWarning.once(session, realm, policy.maxSendsPerRealmPerHour(), counter);
        }
        return new Refusal(scope, counter.secondsLeft());
    }
}
