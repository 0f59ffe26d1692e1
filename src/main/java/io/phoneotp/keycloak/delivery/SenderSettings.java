package io.phoneotp.keycloak.delivery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.keycloak.component.ComponentModel;
import org.keycloak.vault.VaultStringSecret;
import org.keycloak.vault.VaultTranscriber;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A realm's provider setting for one channel, as the admin REST resource reads and writes it.
 * Stored as a realm component (type {@code PhoneOtpSender}, sub-type = channel), which realm
 * export and import carry.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SenderSettings(String type, String accountSid, String authToken, String from, String messagingServiceSid,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> voices,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> fromByCountry) {

    public static final String MASKED_SECRET = "**********";
    public static final String ACCOUNT_SID = "accountSid";
    public static final String AUTH_TOKEN = "authToken";
    public static final String FROM = "from";
    public static final String MESSAGING_SERVICE_SID = "messagingServiceSid";
    /** Voice channel: the provider's voice per language, stored as {@code language=voice} values. */
    public static final String VOICES = "voices";
    /** SMS channel: the sender per destination region, stored as {@code REGION=sender} values. */
    public static final String FROM_BY_COUNTRY = "fromByCountry";
    /** What Keycloak's vault transcriber takes for a reference: {@code ${vault.KEY}}. */
    private static final Pattern VAULT_REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");

    public SenderSettings(String type, String accountSid, String authToken, String from, String messagingServiceSid) {
        this(type, accountSid, authToken, from, messagingServiceSid, null, null);
    }

    public SenderSettings(String type, String accountSid, String authToken, String from, String messagingServiceSid,
                          Map<String, String> voices) {
        this(type, accountSid, authToken, from, messagingServiceSid, voices, null);
    }

    public static SenderSettings of(ComponentModel model) {
        return new SenderSettings(model.getProviderId(), blankToNull(model.get(ACCOUNT_SID)), blankToNull(model.get(AUTH_TOKEN)),
                blankToNull(model.get(FROM)), blankToNull(model.get(MESSAGING_SERVICE_SID)), readMap(model, VOICES),
                readMap(model, FROM_BY_COUNTRY));
    }

    /**
     * The sender of a text message to {@code region} (ISO 3166, as libphonenumber names the destination's):
     * the one set for that region, else {@code from}, else the messaging service.
     */
    public String smsSenderFor(String region) {
        String own = fromByCountry == null || region == null ? null : fromByCountry.get(region);
        return own != null ? own : from != null ? from : messagingServiceSid;
    }

    /** The setting that holds {@link #smsSenderFor}'s answer, for messages that tell an administrator what to change. */
    public String smsSenderField(String region) {
        if (fromByCountry != null && region != null && fromByCountry.containsKey(region)) {
            return FROM_BY_COUNTRY + "." + region;
        }
        return from != null ? FROM : MESSAGING_SERVICE_SID;
    }

    /**
     * Why the stored lines of the map fields cannot be read as meant, or empty: each must be
     * {@code key=value}, each key once. Checked where components are validated (realm import, the
     * component API, the console tab), because reading them would drop such a line without a word.
     */
    public static Optional<String> unreadableLine(ComponentModel model) {
        for (String name : List.of(VOICES, FROM_BY_COUNTRY)) {
            Set<String> keys = new HashSet<>();
            for (String entry : model.getConfig().getOrDefault(name, List.of())) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || entry.substring(0, eq).isBlank() || entry.substring(eq + 1).isBlank()) {
                    return Optional.of(name + ": '" + entry + "' is not KEY=VALUE (one per line)");
                }
                if (!keys.add(entry.substring(0, eq).trim())) {
                    return Optional.of(name + ": " + entry.substring(0, eq).trim() + " is given twice");
                }
            }
        }
        return Optional.empty();
    }

    /** A map stored as {@code key=value} values; null when there are none. */
    private static Map<String, String> readMap(ComponentModel model, String name) {
        Map<String, String> map = new TreeMap<>();
        for (String entry : model.getConfig().getOrDefault(name, List.of())) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        return map.isEmpty() ? null : map;
    }

    private static void writeMap(ComponentModel model, String name, Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            model.getConfig().remove(name);
        } else {
            model.getConfig().put(name, new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    /** Writes the settings into a component's config; absent values are removed. */
    public void writeTo(ComponentModel model) {
        model.setProviderId(type);
        put(model, ACCOUNT_SID, accountSid);
        put(model, AUTH_TOKEN, authToken);
        put(model, FROM, from);
        put(model, MESSAGING_SERVICE_SID, messagingServiceSid);
        writeMap(model, VOICES, voices);
        writeMap(model, FROM_BY_COUNTRY, fromByCountry);
    }

    /** What an administrator may see: the stored token masked, a vault reference as written. */
    public SenderSettings masked() {
        return new SenderSettings(type, accountSid, authToken == null || isVaultReference(authToken) ? authToken : MASKED_SECRET,
                from, messagingServiceSid, voices, fromByCountry);
    }

    /** The same settings with {@code authToken} taken from {@code stored} when the new one is the mask. */
    public SenderSettings keepingSecretOf(SenderSettings stored) {
        if (MASKED_SECRET.equals(authToken)) {
            return new SenderSettings(type, accountSid, stored == null ? null : stored.authToken(), from, messagingServiceSid, voices,
                    fromByCountry);
        }
        return this;
    }

    public SenderSettings trimmed() {
        return new SenderSettings(blankToNull(type), blankToNull(accountSid), blankToNull(authToken), blankToNull(from),
                blankToNull(messagingServiceSid), voices == null || voices.isEmpty() ? null : voices, trimmed(fromByCountry));
    }

    /** Keys and values trimmed, a value of nothing but spaces kept as empty (the validator refuses it, naming its region). */
    private static Map<String, String> trimmed(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        Map<String, String> trimmed = new TreeMap<>();
        map.forEach((key, value) -> trimmed.put(key.trim(), value == null ? "" : value.trim()));
        return trimmed;
    }

    /**
     * The token to hand to the provider: a plain value as stored, a {@code ${vault.KEY}} reference as the vault
     * resolves it. Empty when there is no token or the vault cannot resolve the reference; never the reference itself.
     */
    public Optional<String> resolvedAuthToken(VaultTranscriber vault) {
        if (authToken == null) {
            return Optional.empty();
        }
        try (VaultStringSecret secret = vault.getStringSecret(authToken)) {
            return secret.get().filter(token -> !isVaultReference(token));
        }
    }

    public static boolean isVaultReference(String value) {
        return vaultKey(value).isPresent();
    }

    /** The KEY of a {@code ${vault.KEY}} reference: safe to log, unlike what the vault holds under it. */
    public static Optional<String> vaultKey(String value) {
        Matcher reference = value == null ? null : VAULT_REFERENCE.matcher(value);
        return reference != null && reference.matches() ? Optional.of(reference.group(1)) : Optional.empty();
    }

    private static void put(ComponentModel model, String key, String value) {
        if (value == null) {
            model.getConfig().remove(key);
        } else {
            model.put(key, value);
        }
    }

    /** Trimmed first: trim() also strips NUL and control characters, which isBlank() does not count as blank. */
    private static String blankToNull(String value) {
        String trimmed = value == null ? null : value.trim();
        return trimmed == null || trimmed.isEmpty() ? null : trimmed;
    }
}
