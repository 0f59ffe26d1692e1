package io.phoneotp.keycloak.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.keycloak.component.ComponentModel;

/**
 * A realm's provider setting for one channel, as the admin REST resource reads and writes it.
 * Stored as a realm component (type {@code PhoneOtpSender}, sub-type = channel), which realm
 * export and import carry.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SenderSettings(String type, String accountSid, String authToken, String from, String messagingServiceSid) {

    public static final String MASKED_SECRET = "**********";
    public static final String ACCOUNT_SID = "accountSid";
    public static final String AUTH_TOKEN = "authToken";
    public static final String FROM = "from";
    public static final String MESSAGING_SERVICE_SID = "messagingServiceSid";

    public static SenderSettings of(ComponentModel model) {
        return new SenderSettings(model.getProviderId(), blankToNull(model.get(ACCOUNT_SID)), blankToNull(model.get(AUTH_TOKEN)),
                blankToNull(model.get(FROM)), blankToNull(model.get(MESSAGING_SERVICE_SID)));
    }

    /** Writes the settings into a component's config; absent values are removed. */
    public void writeTo(ComponentModel model) {
        model.setProviderId(type);
        put(model, ACCOUNT_SID, accountSid);
        put(model, AUTH_TOKEN, authToken);
        put(model, FROM, from);
        put(model, MESSAGING_SERVICE_SID, messagingServiceSid);
    }

    /** What an administrator may see: the stored token masked, a vault reference as written. */
    public SenderSettings masked() {
        return new SenderSettings(type, accountSid, authToken == null || isVaultReference(authToken) ? authToken : MASKED_SECRET,
                from, messagingServiceSid);
    }

    /** The same settings with {@code authToken} taken from {@code stored} when the new one is the mask. */
    public SenderSettings keepingSecretOf(SenderSettings stored) {
        if (MASKED_SECRET.equals(authToken)) {
            return new SenderSettings(type, accountSid, stored == null ? null : stored.authToken(), from, messagingServiceSid);
        }
        return this;
    }

    public SenderSettings trimmed() {
        return new SenderSettings(blankToNull(type), blankToNull(accountSid), blankToNull(authToken), blankToNull(from),
                blankToNull(messagingServiceSid));
    }

    public static boolean isVaultReference(String value) {
        return value != null && value.startsWith("${vault.") && value.endsWith("}");
    }

    private static void put(ComponentModel model, String key, String value) {
        if (value == null) {
            model.getConfig().remove(key);
        } else {
            model.put(key, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
