package io.phoneotp.keycloak.delivery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.keycloak.component.ComponentModel;
import org.keycloak.vault.VaultStringSecret;
import org.keycloak.vault.VaultTranscriber;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> voices) {

    public static final String MASKED_SECRET = "**********";
    public static final String ACCOUNT_SID = "accountSid";
    public static final String AUTH_TOKEN = "authToken";
    public static final String FROM = "from";
    public static final String MESSAGING_SERVICE_SID = "messagingServiceSid";
    /** Voice channel: the provider's voice per language, stored as {@code language=voice} values. */
    public static final String VOICES = "voices";
    /** What Keycloak's vault transcriber takes for a reference: {@code ${vault.KEY}}. */
    private static final Pattern VAULT_REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");

    public SenderSettings(String type, String accountSid, String authToken, String from, String messagingServiceSid) {
        this(type, accountSid, authToken, from, messagingServiceSid, null);
    }

    public static SenderSettings of(ComponentModel model) {
        Map<String, String> voices = new TreeMap<>();
        for (String entry : model.getConfig().getOrDefault(VOICES, List.of())) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                voices.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return new SenderSettings(model.getProviderId(), blankToNull(model.get(ACCOUNT_SID)), blankToNull(model.get(AUTH_TOKEN)),
                blankToNull(model.get(FROM)), blankToNull(model.get(MESSAGING_SERVICE_SID)), voices.isEmpty() ? null : voices);
    }

    /** Writes the settings into a component's config; absent values are removed. */
    public void writeTo(ComponentModel model) {
        model.setProviderId(type);
        put(model, ACCOUNT_SID, accountSid);
        put(model, AUTH_TOKEN, authToken);
        put(model, FROM, from);
        put(model, MESSAGING_SERVICE_SID, messagingServiceSid);
        if (voices == null || voices.isEmpty()) {
            model.getConfig().remove(VOICES);
        } else {
            model.getConfig().put(VOICES, voices.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    /** What an administrator may see: the stored token masked, a vault reference as written. */
    public SenderSettings masked() {
        return new SenderSettings(type, accountSid, authToken == null || isVaultReference(authToken) ? authToken : MASKED_SECRET,
                from, messagingServiceSid, voices);
    }

    /** The same settings with {@code authToken} taken from {@code stored} when the new one is the mask. */
    public SenderSettings keepingSecretOf(SenderSettings stored) {
        if (MASKED_SECRET.equals(authToken)) {
            return new SenderSettings(type, accountSid, stored == null ? null : stored.authToken(), from, messagingServiceSid, voices);
        }
        return this;
    }

    public SenderSettings trimmed() {
        return new SenderSettings(blankToNull(type), blankToNull(accountSid), blankToNull(authToken), blankToNull(from),
                blankToNull(messagingServiceSid), voices == null || voices.isEmpty() ? null : voices);
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
