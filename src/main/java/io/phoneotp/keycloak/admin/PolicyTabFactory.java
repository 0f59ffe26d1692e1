package io.phoneotp.keycloak.admin;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.policy.PhonePolicyValidator;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The console's tab for the realm's phone policy: the fields of {@code /admin/realms/{realm}/phone-otp/policy}. */
public final class PolicyTabFactory extends ConsoleTabFactory {

    static final String ID = "phone-otp-policy";
    private static final String DEFAULT_COUNTRY = "defaultCountry";
    private static final String ALLOWED_COUNTRIES = "allowedCountries";
    private static final String BLOCKED_NUMBER_TYPES = "blockedNumberTypes";
    private static final String UNIQUE_NUMBERS = "uniqueNumbers";
    private static final String NOTIFY_OLD_NUMBER = "notifyOldNumber";

    /** A whole number as the tab may hold one (the validator then checks its range). */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,7}");

    /** An hourly limit of the policy: its key, how the tab names and explains it, how it is read from a policy. */
    private record Limit(String key, String label, String help, Function<PhonePolicy, Integer> value) {
    }

    /** In the order the tab shows them. */
    private static final List<Limit> LIMITS = List.of(
            new Limit("maxSendsPerNumberPerHour", "Sends per number per hour",
                    "Codes sent to one number per hour, across all sessions and both channels.", PhonePolicy::maxSendsPerNumberPerHour),
            new Limit("maxSendsPerUserPerHour", "Sends per account per hour",
                    "Codes sent for one account per hour.", PhonePolicy::maxSendsPerUserPerHour),
            new Limit("maxSendsPerIpPerHour", "Sends per IP address per hour",
                    "Codes sent per hour for requests from one IP address.", PhonePolicy::maxSendsPerIpPerHour),
            new Limit("maxSendsPerPrefixPerHour", "Sends per number range per hour",
                    "Codes sent per hour to one number range (country code and number without its last 4 digits). 0 turns it off.",
                    PhonePolicy::maxSendsPerPrefixPerHour),
            new Limit("maxSendsPerRealmPerHour", "Sends per realm per hour",
                    "The realm's hourly budget against SMS pumping: when spent, sends stop and an admin event is raised.",
                    PhonePolicy::maxSendsPerRealmPerHour));

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Where phone one-time codes may be sent and how many";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        PhonePolicy defaults = PhonePolicy.defaults();
        ProviderConfigurationBuilder fields = ProviderConfigurationBuilder.create()
                .property().name(DEFAULT_COUNTRY).label("Default country").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("ISO 3166 code (such as DE) for numbers typed without a country code. Empty: the country of the realm's default locale.").add()
                .property().name(ALLOWED_COUNTRIES).label("Allowed countries").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("ISO 3166 codes (such as US, DE) that codes may be sent to. Empty: every country; restricting it is the main defence against SMS pumping.").add()
                .property().name(BLOCKED_NUMBER_TYPES).label("Blocked number types").type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE)
                .options(Arrays.stream(PhoneNumberUtil.PhoneNumberType.values()).map(Enum::name).toList())
                .defaultValue(defaults.blockedNumberTypes())
                .helpText("Numbers of these types can neither receive codes nor be registered.").add()
                .property().name(UNIQUE_NUMBERS).label("Unique numbers").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(defaults.uniqueNumbers())
                .helpText("A verified number belongs to one account at most.").add()
                .property().name(NOTIFY_OLD_NUMBER).label("Tell the old number").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(defaults.notifyOldNumber())
                .helpText("When a user replaces a verified number, the old number gets a text saying so.").add();
        LIMITS.forEach(limit -> fields.property().name(limit.key()).label(limit.label()).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(limit.value().apply(defaults)).helpText(limit.help()).add());
        return fields.build();
    }

    @Override
    MultivaluedHashMap<String, String> view(KeycloakSession session, RealmModel realm, MultivaluedHashMap<String, String> current) {
        PhonePolicy policy = PhonePolicyStore.load(realm);
        MultivaluedHashMap<String, String> view = new MultivaluedHashMap<>();
        if (policy.defaultCountry() != null) {
            view.putSingle(DEFAULT_COUNTRY, policy.defaultCountry());
        }
        view.put(ALLOWED_COUNTRIES, List.copyOf(policy.allowedCountries()));
        view.put(BLOCKED_NUMBER_TYPES, List.copyOf(policy.blockedNumberTypes()));
        view.putSingle(UNIQUE_NUMBERS, policy.uniqueNumbers().toString());
        view.putSingle(NOTIFY_OLD_NUMBER, policy.notifyOldNumber().toString());
        LIMITS.forEach(limit -> view.putSingle(limit.key(), limit.value().apply(policy).toString()));
        return view;
    }

    @Override
    Optional<String> problem(KeycloakSession session, RealmModel realm, ComponentModel tab) {
        for (String key : List.of(UNIQUE_NUMBERS, NOTIFY_OLD_NUMBER)) {
            String value = first(tab, key);
            if (value != null && !value.equals("true") && !value.equals("false")) {
                return Optional.of(key + " must be true or false");
            }
        }
        for (Limit limit : LIMITS) {
            String value = first(tab, limit.key());
            if (value != null && !WHOLE_NUMBER.matcher(value).matches()) {
                return Optional.of(limit.key() + " must be a whole number");
            }
        }
        return PhonePolicyValidator.problem(policy(tab));
    }

    @Override
    void save(KeycloakSession session, RealmModel realm, ComponentModel tab, MultivaluedHashMap<String, String> before) {
        PhonePolicyStore.save(session, realm, policy(tab));
    }

    /** The tab's content as a policy; what the tab leaves empty takes its default, as in a partial PUT. */
    private static PhonePolicy policy(ComponentModel tab) {
        return new PhonePolicy(first(tab, DEFAULT_COUNTRY), values(tab, ALLOWED_COUNTRIES), values(tab, BLOCKED_NUMBER_TYPES),
                bool(tab, UNIQUE_NUMBERS), number(tab, "maxSendsPerNumberPerHour"), number(tab, "maxSendsPerUserPerHour"),
                number(tab, "maxSendsPerIpPerHour"), number(tab, "maxSendsPerRealmPerHour"), number(tab, "maxSendsPerPrefixPerHour"),
                bool(tab, NOTIFY_OLD_NUMBER)).withDefaults();
    }

    private static List<String> values(ComponentModel tab, String key) {
        List<String> values = tab.getConfig().get(key);
        return values == null ? null : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    private static Boolean bool(ComponentModel tab, String key) {
        String value = first(tab, key);
        return value == null ? null : Boolean.valueOf(value);
    }

    private static Integer number(ComponentModel tab, String key) {
        String value = first(tab, key);
        return value == null || !WHOLE_NUMBER.matcher(value).matches() ? null : Integer.valueOf(value);
    }
}
