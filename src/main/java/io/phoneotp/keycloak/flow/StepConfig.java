package io.phoneotp.keycloak.flow;

import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Map;

/** A flow step's settings (the gear in the flow editor), with the contract's defaults and ranges. */
public record StepConfig(int codeLength, int codeTtlSeconds, int maxAttempts, int maxSends, int resendCooldownSeconds,
                         boolean allowRegistrationDuringLogin, boolean showInfoBeforeRegistration, String phoneNumberNote) {

    private static final Logger LOG = Logger.getLogger(StepConfig.class);

    public static final String CODE_LENGTH = "codeLength";
    public static final String CODE_TTL_SECONDS = "codeTtlSeconds";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String MAX_SENDS = "maxSends";
    public static final String RESEND_COOLDOWN_SECONDS = "resendCooldownSeconds";
    public static final String ALLOW_REGISTRATION_DURING_LOGIN = "allowRegistrationDuringLogin";
    public static final String SHOW_INFO_BEFORE_REGISTRATION = "showInfoBeforeRegistration";
    public static final String PHONE_NUMBER_NOTE = "phoneNumberNote";

    private record Range(String key, int min, int max, int defaultValue, String label, String help) {
    }

    private static final List<Range> RANGES = List.of(
            new Range(CODE_LENGTH, 4, 10, 6, "Code length", "Digits in a code, 4 to 10."),
            new Range(CODE_TTL_SECONDS, 30, 3600, 300, "Code lifetime (seconds)", "How long a code stays valid, 30 to 3600 seconds."),
            new Range(MAX_ATTEMPTS, 1, 100, 3, "Attempts per code", "Wrong codes allowed per sent code, 1 to 100; then a new code is needed."),
            new Range(MAX_SENDS, 1, 100, 3, "Codes per login", "Codes that may be sent in one login, 1 to 100."),
            new Range(RESEND_COOLDOWN_SECONDS, 0, 3600, 30, "Resend cooldown (seconds)", "Wait between two sends, 0 to 3600 seconds."));

    public static StepConfig defaults() {
        return of(null);
    }

    /** Reads a step's config; a missing value takes the default, an out-of-range one the nearest allowed value. */
    public static StepConfig of(AuthenticatorConfigModel model) {
        Map<String, String> c = model == null || model.getConfig() == null ? Map.of() : model.getConfig();
        return new StepConfig(intValue(c, RANGES.get(0)), intValue(c, RANGES.get(1)), intValue(c, RANGES.get(2)),
                intValue(c, RANGES.get(3)), intValue(c, RANGES.get(4)),
                boolValue(c, ALLOW_REGISTRATION_DURING_LOGIN), boolValue(c, SHOW_INFO_BEFORE_REGISTRATION),
                blankToNull(c.get(PHONE_NUMBER_NOTE)));
    }

    private static int intValue(Map<String, String> config, Range range) {
        String raw = config.get(range.key());
        if (raw == null || raw.isBlank()) {
            return range.defaultValue();
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= range.min() && value <= range.max()) {
                return value;
            }
            int nearest = Math.max(range.min(), Math.min(range.max(), value));
            LOG.warnf("Step setting %s=%d is outside %d..%d; using %d", range.key(), value, range.min(), range.max(), nearest);
            return nearest;
        } catch (NumberFormatException e) {
            LOG.warnf("Step setting %s='%s' is not a number; using the default %d", range.key(), raw, range.defaultValue());
            return range.defaultValue();
        }
    }

    private static boolean boolValue(Map<String, String> config, String key) {
        String raw = config.get(key);
        return raw == null || raw.isBlank() || Boolean.parseBoolean(raw.trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static List<ProviderConfigProperty> properties() {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Range r : RANGES) {
            builder.property().name(r.key()).label(r.label()).helpText(r.help())
                    .type(ProviderConfigProperty.STRING_TYPE).defaultValue(Integer.toString(r.defaultValue())).add();
        }
        return builder
                .property().name(ALLOW_REGISTRATION_DURING_LOGIN).label("Allow registration during login")
                .helpText("Show 'use another phone number' on the code page.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(SHOW_INFO_BEFORE_REGISTRATION).label("Explain before registration")
                .helpText("Show an explanation page before the phone registration page.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(PHONE_NUMBER_NOTE).label("Phone number from session note")
                .helpText("Take the phone number from this authentication-session note set by an earlier step instead of the user's phoneNumber attribute.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }
}
