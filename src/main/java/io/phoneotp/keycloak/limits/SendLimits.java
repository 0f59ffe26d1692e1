package io.phoneotp.keycloak.limits;

import io.phoneotp.keycloak.metrics.OtpMetrics;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicy;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The realm policy's hourly send limits, across all sign-ins, cluster nodes and both channels: per
 * phone number, per number range (SMS pumping uses whole ranges), per user, per client network and
 * for the whole realm (a budget against pumping). A send is allowed only when every limit has room;
 * then it counts in each.
 */
public final class SendLimits {

    /** Which limit stopped a send; the scope goes to the event as a detail. */
    public enum Scope { NUMBER, PREFIX, USER, IP, REALM }

    public record Refusal(Scope scope, long retryAfterSeconds) {
        /** Whole minutes to tell the user, never less than one. */
        public long retryAfterMinutes() {
            return Math.max(1, (retryAfterSeconds + 59) / 60);
        }
    }

    private record Limit(Scope scope, HourlyCounter counter) {
    }

    private SendLimits() {
    }

    /**
     * A code (or a notice) that really goes out. The limits are counted in this order; the realm's,
     * which every send shares, last (see {@link HourlyCounts}).
     *
     * @param e164   where it goes
     * @param userId null where no account is known
     * @return empty when the send may go ahead (and has been counted), else which limit stopped it
     */
    public static Optional<Refusal> takeForSend(KeycloakSession session, RealmModel realm, PhonePolicy policy,
                                                String e164, String userId, String ip) {
        List<Limit> limits = new ArrayList<>();
        limits.add(limit(realm, Scope.NUMBER, e164, policy.maxSendsPerNumberPerHour()));
        addRange(limits, realm, policy, e164);
        if (userId != null) {
            limits.add(limit(realm, Scope.USER, userId, policy.maxSendsPerUserPerHour()));
        }
        addIp(limits, realm, policy, ip);
        limits.add(limit(realm, Scope.REALM, "", policy.maxSendsPerRealmPerHour()));
        Optional<Refusal> refusal = take(session, realm, policy, limits);
        if (refusal.isEmpty()) {
            OtpMetrics.instance().budgetUsed(realm.getName(), policy.maxSendsPerRealmPerHour());
        }
        return refusal;
    }

    /**
     * What an identifier without an account counts instead of a send: its own key (E.164 for a
     * phone number, so it shares the number's limit), a number's range, and the client's network.
     * It costs nothing, so it never spends the realm's budget.
     */
    public static Optional<Refusal> takeForNothingSent(KeycloakSession session, RealmModel realm, PhonePolicy policy,
                                                       String identifierKey, String ip) {
        List<Limit> limits = new ArrayList<>();
        limits.add(limit(realm, Scope.NUMBER, identifierKey, policy.maxSendsPerNumberPerHour()));
        if (PhoneNumbers.isE164(identifierKey)) {
            // a number without an account spends its range's count as a real one would: an attacker with a number
            // in the same range would otherwise read from his own refusals whether a probed number has an account
            addRange(limits, realm, policy, identifierKey);
        }
        addIp(limits, realm, policy, ip);
        return take(session, realm, policy, limits);
    }

    /**
     * The key of a client address: an IPv4 address as it is, an IPv6 address by its /64 network,
     * which one host usually holds whole and could otherwise rotate through.
     */
    static String networkOf(String ip) {
        if (ip == null || !ip.contains(":")) {
            return ip;
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress(); // a literal: no DNS lookup
            if (address.length != 16) {
                return InetAddress.getByAddress(address).getHostAddress(); // IPv4-mapped
            }
            return HexFormat.of().formatHex(Arrays.copyOf(address, 8)) + "::/64";
        } catch (UnknownHostException | IllegalArgumentException e) {
            return ip;
        }
    }

    private static void addRange(List<Limit> limits, RealmModel realm, PhonePolicy policy, String e164) {
        if (policy.maxSendsPerPrefixPerHour() > 0) {
            limits.add(limit(realm, Scope.PREFIX, PhoneNumbers.range(e164), policy.maxSendsPerPrefixPerHour()));
        }
    }

    private static void addIp(List<Limit> limits, RealmModel realm, PhonePolicy policy, String ip) {
        if (ip != null) {
            limits.add(limit(realm, Scope.IP, networkOf(ip), policy.maxSendsPerIpPerHour()));
        }
    }

    private static Limit limit(RealmModel realm, Scope scope, String key, int max) {
        String name = realm.getId() + ":" + scope.name().toLowerCase() + (key.isEmpty() ? "" : ":" + key);
        return new Limit(scope, new HourlyCounter(name, max, Time.currentTime()));
    }

    private static Optional<Refusal> take(KeycloakSession session, RealmModel realm, PhonePolicy policy, List<Limit> limits) {
        long started = System.nanoTime();
        HourlyCounts.Result result = new HourlyCounts(session).takeOne(limits.stream().map(Limit::counter).toList());
        OtpMetrics.instance().limitsChecked(realm.getName(), System.nanoTime() - started, result.storeCalls());
        if (result.taken()) {
            return Optional.empty();
        }
        Limit limit = limits.stream().filter(l -> l.counter() == result.blocked()).findFirst().orElseThrow();
        if (result.busy()) {
            return Optional.of(new Refusal(limit.scope(), 60));
        }
        if (limit.scope() == Scope.REALM) {
            RealmBudgetWarning.once(session, realm, policy.maxSendsPerRealmPerHour(), limit.counter());
        }
        return Optional.of(new Refusal(limit.scope(), limit.counter().secondsLeft()));
    }
}
