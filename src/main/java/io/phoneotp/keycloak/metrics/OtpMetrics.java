package io.phoneotp.keycloak.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every meter of this extension, named in one place. They go to Micrometer's global registry, as
 * Keycloak's own event metrics do, so {@code --metrics-enabled=true} serves them on the management
 * interface's {@code /metrics} (Prometheus names: dots become underscores, counters end in
 * {@code _total}, timers in {@code _seconds}); without it the registry has no backend and every
 * call here does nothing.
 * <p>
 * Labels carry only bounded values: the realm's name, the channel, an outcome, and a reason that
 * the callers take from the names the events already use (a limit's scope, a policy rule, a
 * delivery failure class). Never a phone number, a user, a code or a provider's message id.
 */
public final class OtpMetrics {

    /** Codes by what became of them: {@code phone_otp_codes_sent_total{realm,channel,outcome,reason}}. */
    public static final String CODES_SENT = "phone.otp.codes.sent";
    /** Codes typed back: {@code phone_otp_verifications_total{realm,channel,outcome}}. */
    public static final String VERIFICATIONS = "phone.otp.verifications";
    /** Time of each call to the provider: {@code phone_otp_delivery_duration_seconds{realm,channel,outcome}}. */
    public static final String DELIVERY_DURATION = "phone.otp.delivery.duration";
    /** Sends counted against the realm's hourly budget: {@code phone_otp_realm_budget_used_total{realm}}. */
    public static final String REALM_BUDGET_USED = "phone.otp.realm.budget.used";
    /** The realm's hourly budget as last applied on this node: {@code phone_otp_realm_budget_limit{realm}}. */
    public static final String REALM_BUDGET_LIMIT = "phone.otp.realm.budget.limit";

    /** Time of each check of the hourly limits before a send, locks included: {@code phone_otp_send_limits_duration_seconds{realm}}. */
    public static final String LIMITS_DURATION = "phone.otp.send.limits.duration";
    /** Calls to Keycloak's single-use store (cluster-wide) those checks made: {@code phone_otp_send_limits_store_calls_total{realm}}. */
    public static final String LIMITS_STORE_CALLS = "phone.otp.send.limits.store.calls";

    public static final String REALM = "realm";
    public static final String CHANNEL = "channel";
    public static final String OUTCOME = "outcome";
    public static final String REASON = "reason";

    /** Outcomes of a send. */
    public static final String SENT = "sent";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";
    /** The outcome of a right code; a wrong one is counted under its event error ({@code invalid_code}, ...). */
    public static final String VALID = "valid";

    /** Bucket bounds of the delivery time: a page waits at most a second, Twilio's read timeout defaults to ten. */
    private static final Duration[] DELIVERY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final Logger LOG = Logger.getLogger(OtpMetrics.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final OtpMetrics GLOBAL = new OtpMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;
    /** Gauges hold their value weakly: the realms' budgets are kept here. */
    private final Map<String, AtomicInteger> budgets = new ConcurrentHashMap<>();

    /** For tests; the server uses {@link #instance()}. */
    public OtpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static OtpMetrics instance() {
        return GLOBAL;
    }

    /**
     * A call to the provider ended.
     *
     * @param failure the delivery failure class ({@code invalid_number}, {@code unavailable}, ...), null when it was sent
     */
    public void delivered(String realm, String channel, String failure, long nanos) {
        String outcome = failure == null ? SENT : FAILED;
        guarded(() -> {
            codes(realm, channel, outcome, failure);
            Timer.builder(DELIVERY_DURATION)
                    .description("Time of each call to the phone code provider, by outcome")
                    .tags(REALM, nonNull(realm), CHANNEL, channel, OUTCOME, outcome)
                    .serviceLevelObjectives(DELIVERY_BUCKETS)
                    .register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        });
    }

    /** A send failed before the provider was called (no provider setting, the circuit open, the pool full). */
    public void notDelivered(String realm, String channel, String failure) {
        guarded(() -> codes(realm, channel, FAILED, failure));
    }

    /** A send refused by the destination policy or a limit; {@code reason} as the event's {@code phone_otp_reason}. */
    public void refused(String realm, String channel, String reason) {
        guarded(() -> codes(realm, channel, REFUSED, reason));
    }

    /** A code typed back; {@code outcome} is {@link #VALID} or the event's {@code phone_otp_error}. */
    public void verification(String realm, String channel, String outcome) {
        guarded(() -> Counter.builder(VERIFICATIONS)
                .description("Phone codes typed back, by outcome")
                .tags(REALM, nonNull(realm), CHANNEL, channel, OUTCOME, outcome)
                .register(registry)
                .increment());
    }

    /** The hourly limits were checked before a send, taking {@code nanos} and {@code storeCalls} calls to the store. */
    public void limitsChecked(String realm, long nanos, int storeCalls) {
        guarded(() -> {
            Timer.builder(LIMITS_DURATION)
                    .description("Time of each check of the hourly send limits (cluster-wide counters and their locks)")
                    .tags(REALM, nonNull(realm))
                    .register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
            Counter.builder(LIMITS_STORE_CALLS)
                    .description("Calls to Keycloak's single-use object store made by the checks of the hourly send limits")
                    .tags(REALM, nonNull(realm))
                    .register(registry)
                    .increment(storeCalls);
        });
    }

    /** A send counted against the realm's hourly budget of {@code limit} sends. */
    public void budgetUsed(String realm, int limit) {
        guarded(() -> countBudget(nonNull(realm), limit));
    }

    private void countBudget(String name, int limit) {
        budgets.computeIfAbsent(name, key -> {
            AtomicInteger holder = new AtomicInteger(limit);
            Gauge.builder(REALM_BUDGET_LIMIT, holder, AtomicInteger::get)
                    .description("The realm's hourly send budget (maxSendsPerRealmPerHour) as last applied on this node")
                    .tags(REALM, key)
                    .register(registry);
            return holder;
        }).set(limit);
        Counter.builder(REALM_BUDGET_USED)
                .description("Sends counted against the realm's hourly budget (maxSendsPerRealmPerHour) on this node")
                .tags(REALM, name)
                .register(registry)
                .increment();
    }

    private void codes(String realm, String channel, String outcome, String reason) {
        Counter.builder(CODES_SENT)
                .description("Phone codes by outcome: sent, refused (reason: the limit or policy rule), failed (reason: the delivery failure class)")
                .tags(REALM, nonNull(realm), CHANNEL, channel, OUTCOME, outcome, REASON, nonNull(reason))
                .register(registry)
                .increment();
    }

    /** A meter that cannot be registered (another extension took its name with other labels) must never stop a sign-in. */
    private static void guarded(Runnable count) {
        try {
            count.run();
        } catch (RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) { // once: it would fail the same way on every send
                LOG.warnf(e, "A phone-otp metric could not be recorded; metrics of this extension may be incomplete");
            }
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
