package io.phoneotp.keycloak.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The realm's phone policy, shared by every step: where codes may go and how many may be sent
 * across all sign-ins, and whether a replaced number is told about the change. Read and written at {@code /admin/realms/{realm}/phone-otp/policy}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PhonePolicy(String defaultCountry, List<String> allowedCountries, List<String> blockedNumberTypes, Boolean uniqueNumbers,
                          Integer maxSendsPerNumberPerHour, Integer maxSendsPerUserPerHour, Integer maxSendsPerIpPerHour,
                          Integer maxSendsPerRealmPerHour, Integer maxSendsPerPrefixPerHour, Boolean notifyOldNumber) {

    public static final List<String> DEFAULT_BLOCKED_NUMBER_TYPES =
            List.of("PREMIUM_RATE", "SHARED_COST", "TOLL_FREE", "UAN", "PAGER", "VOICEMAIL");

    public static PhonePolicy defaults() {
        return new PhonePolicy(null, List.of(), DEFAULT_BLOCKED_NUMBER_TYPES, true, 5, 10, 20, 1000, 20, true);
    }

    /** Missing keys take their defaults, so a partial PUT or an older stored policy stays complete. */
    public PhonePolicy withDefaults() {
        PhonePolicy d = defaults();
        return new PhonePolicy(blank(defaultCountry) ? null : defaultCountry.trim().toUpperCase(),
                allowedCountries == null ? d.allowedCountries : allowedCountries.stream().map(PhonePolicy::upper).toList(),
                blockedNumberTypes == null ? d.blockedNumberTypes : blockedNumberTypes.stream().map(PhonePolicy::upper).toList(),
                uniqueNumbers == null ? d.uniqueNumbers : uniqueNumbers,
                maxSendsPerNumberPerHour == null ? d.maxSendsPerNumberPerHour : maxSendsPerNumberPerHour,
                maxSendsPerUserPerHour == null ? d.maxSendsPerUserPerHour : maxSendsPerUserPerHour,
                maxSendsPerIpPerHour == null ? d.maxSendsPerIpPerHour : maxSendsPerIpPerHour,
                maxSendsPerRealmPerHour == null ? d.maxSendsPerRealmPerHour : maxSendsPerRealmPerHour,
                maxSendsPerPrefixPerHour == null ? d.maxSendsPerPrefixPerHour : maxSendsPerPrefixPerHour,
                notifyOldNumber == null ? d.notifyOldNumber : notifyOldNumber);
    }

    /**
     * The region for numbers typed in national format: the policy's {@code defaultCountry}, else the
     * country of the realm's default locale ({@code de-CH} gives CH), else none (international format only).
     */
    public String nationalRegion(String realmDefaultLocale) {
        if (!blank(defaultCountry)) {
            return defaultCountry.trim().toUpperCase();
        }
        if (blank(realmDefaultLocale)) {
            return null;
        }
        String country = java.util.Locale.forLanguageTag(realmDefaultLocale.replace('_', '-')).getCountry();
        return country.isEmpty() ? null : country;
    }

    /** What an administrator should know about this policy, for the admin REST answers and the startup log. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<String> warnings() {
        return allowedCountries.isEmpty()
                ? List.of("allowedCountries is empty: codes may be sent to every country. Restricting it to the countries your users"
                + " live in is the main defence against SMS pumping.")
                : List.of();
    }

    /** A list entry trimmed and in capitals; a null entry stays null, for the validator to refuse. */
    private static String upper(String s) {
        return s == null ? null : s.trim().toUpperCase();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
