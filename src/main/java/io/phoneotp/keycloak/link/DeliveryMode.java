package io.phoneotp.keycloak.link;

import io.phoneotp.keycloak.delivery.Channel;
import org.jboss.logging.Logger;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a text message carries: a code to type back, a link to tap, or both. A call always reads a code. */
public enum DeliveryMode {
    CODE, LINK, BOTH;

    public static final String KEY = "deliveryMode";

    private static final Logger LOG = Logger.getLogger(DeliveryMode.class);

    /** The step's or the action's setting; missing means {@code code}, an unknown value too (with a WARN). */
    public static DeliveryMode of(Map<String, String> config) {
        String raw = config == null ? null : config.get(KEY);
        if (raw == null || raw.isBlank()) {
            return CODE;
        }
        try {
            return valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Step setting %s='%s' is not code, link or both; using code", KEY, raw);
            return CODE;
        }
    }

    /** What a message by {@code via} carries: a call cannot carry a link. */
    public DeliveryMode by(Channel via) {
        return via == Channel.SMS ? this : CODE;
    }

    public boolean link() {
        return this != CODE;
    }

    public boolean code() {
        return this != LINK;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<ProviderConfigProperty> properties() {
        return ProviderConfigurationBuilder.create()
                .property().name(KEY).label("Text message carries")
                .helpText("code: a code the user types back. link: a link that completes the step (or, when registering, confirms the new number)"
                        + " when tapped (on this device at once, on another device after \"Is this you signing in?\" or \"Are you adding this number?\")."
                        + " both: the code and the link. A call always reads a code.")
                .type(ProviderConfigProperty.LIST_TYPE).options("code", "link", "both").defaultValue("code").add()
                .build();
    }
}
