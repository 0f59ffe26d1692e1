package io.phoneotp.keycloak.policy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Checks a phone policy before it is stored; the message names the offending key. */
public final class PhonePolicyValidator {

    private PhonePolicyValidator() {
    }

    public static Optional<String> problem(PhonePolicy p) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        if (p.defaultCountry() != null && !util.getSupportedRegions().contains(p.defaultCountry())) {
            return Optional.of("defaultCountry must be an ISO 3166 alpha-2 region such as DE");
        }
        for (String country : p.allowedCountries()) {
            if (!util.getSupportedRegions().contains(country)) {
                return Optional.of("allowedCountries: '" + country + "' is not an ISO 3166 alpha-2 region");
            }
        }
        for (String type : p.blockedNumberTypes()) {
            if (Arrays.stream(PhoneNumberUtil.PhoneNumberType.values()).noneMatch(t -> t.name().equals(type))) {
                return Optional.of("blockedNumberTypes: '" + type + "' is not a number type (such as PREMIUM_RATE, TOLL_FREE, VOIP)");
            }
        }
        for (Map.Entry<String, Integer> limit : Map.of("maxSendsPerNumberPerHour", p.maxSendsPerNumberPerHour(),
                "maxSendsPerUserPerHour", p.maxSendsPerUserPerHour(), "maxSendsPerIpPerHour", p.maxSendsPerIpPerHour(),
                "maxSendsPerRealmPerHour", p.maxSendsPerRealmPerHour()).entrySet()) {
            if (limit.getValue() < 1 || limit.getValue() > 1_000_000) {
                return Optional.of(limit.getKey() + " must be between 1 and 1000000");
            }
        }
        if (p.maxSendsPerPrefixPerHour() < 0 || p.maxSendsPerPrefixPerHour() > 1_000_000) {
            return Optional.of("maxSendsPerPrefixPerHour must be between 0 (off) and 1000000");
        }
        return Optional.empty();
    }
}
