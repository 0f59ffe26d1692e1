package io.phoneotp.keycloak.challenge;

import io.phoneotp.keycloak.delivery.Channel;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Map;

/**
 * How codes are made, sent and checked: a flow step's settings (the gear in the flow editor) or the
 * registration action's, with their published defaults and ranges.
 */
public record CodeSettings(int codeLength, int codeTtlSeconds, int maxAttempts, int maxSends, int resendCooldownSeconds, int voiceRepeat) {

    private static final Logger LOG = Logger.getLogger(CodeSettings.class);

    public static final String CODE_LENGTH = "codeLength";
    public static final String CODE_TTL_SECONDS = "codeTtlSeconds";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String MAX_SENDS = "maxSends";
    public static final String RESEND_COOLDOWN_SECONDS = "resendCooldownSeconds";
    public static final String VOICE_REPEAT = "voiceRepeat";
    /** A call takes longer to connect and listen to than a text takes to arrive, so a voice code lives longer. */
    static final int VOICE_CODE_TTL_SECONDS = 600;

    private record Range(String key, int min, int max, int defaultValue, String label, String help) {
    }

    private static final List<Range> RANGES = List.of(
            new Range(CODE_LENGTH, 4, 10, 6, "Code length", "Digits in a code, 4 to 10."),
            new Range(CODE_TTL_SECONDS, 30, 3600, 300, "Code lifetime (seconds)", "How long a code stays valid, 30 to 3600 seconds."),
            new Range(MAX_ATTEMPTS, 1, 100, 3, "Attempts per code", "Wrong codes allowed per sent code, 1 to 100; then a new code is needed."),
            new Range(MAX_SENDS, 1, 100, 3, "Codes per login", "Codes that may be sent in one login, 1 to 100."),
            new Range(RESEND_COOLDOWN_SECONDS, 0, 3600, 30, "Resend cooldown (seconds)", "Wait between two sends, 0 to 3600 seconds."),
            new Range(VOICE_REPEAT, 1, 5, 3, "Times a call reads the code", "How often a call reads the code, 1 to 5."));

    /**
     * Reads a step's config; a missing value takes the default (for the step's own channel), an
     * out-of-range one the nearest allowed value.
     */
    public static CodeSettings of(AuthenticatorConfigModel model, Channel channel) {
        return fromMap(model == null ? null : model.getConfig(), channel);
    }

    /** The same, from a plain settings map (a required action's configuration); null means all defaults. */
    public static CodeSettings fromMap(Map<String, String> config, Channel channel) {
        Map<String, String> c = config == null ? Map.of() : config;
        return new CodeSettings(intValue(c, RANGES.get(0), channel), intValue(c, RANGES.get(1), channel), intValue(c, RANGES.get(2), channel),
                intValue(c, RANGES.get(3), channel), intValue(c, RANGES.get(4), channel), intValue(c, RANGES.get(5), channel));
    }

    private static int defaultValue(Range range, Channel channel) {
        return channel == Channel.VOICE && range.key().equals(CODE_TTL_SECONDS) ? VOICE_CODE_TTL_SECONDS : range.defaultValue();
    }

    private static int intValue(Map<String, String> config, Range range, Channel channel) {
        String raw = config.get(range.key());
        if (raw == null || raw.isBlank()) {
            return defaultValue(range, channel);
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
            LOG.warnf("Step setting %s='%s' is not a number; using the default %d", range.key(), raw, defaultValue(range, channel));
            return defaultValue(range, channel);
        }
    }

    public static List<ProviderConfigProperty> properties(Channel channel) {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Range r : RANGES) {
            builder.property().name(r.key()).label(r.label()).helpText(r.help())
                    .type(ProviderConfigProperty.STRING_TYPE).defaultValue(Integer.toString(defaultValue(r, channel))).add();
        }
        return builder.build();
    }
}
