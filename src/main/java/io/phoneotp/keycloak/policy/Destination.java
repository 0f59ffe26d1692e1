package io.phoneotp.keycloak.policy;

import io.phoneotp.keycloak.phone.PhoneNumbers;

import java.util.Optional;

/**
 * The destination policy, applied before any code goes out: allowed countries and blocked
 * number types (premium rate and the like are how SMS pumping earns money).
 */
public final class Destination {

    /** Why a number may not receive codes; the reason goes to the event, never to the page. */
    public enum Refusal { COUNTRY_NOT_ALLOWED, NUMBER_TYPE_BLOCKED, INVALID }

    private Destination() {
    }

    public static Optional<Refusal> refusal(PhonePolicy policy, String e164) {
        Optional<PhoneNumbers.Facts> number = PhoneNumbers.facts(e164, null);
        if (number.isEmpty()) {
            return Optional.of(Refusal.INVALID);
        }
        if (!policy.allowedCountries().isEmpty() && !policy.allowedCountries().contains(number.get().region())) {
            return Optional.of(Refusal.COUNTRY_NOT_ALLOWED);
        }
        if (policy.blockedNumberTypes().contains(number.get().type().name())) {
            return Optional.of(Refusal.NUMBER_TYPE_BLOCKED);
        }
        return Optional.empty();
    }
}
