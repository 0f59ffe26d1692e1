package io.phoneotp.keycloak.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhonePolicyTest {

    @Test
    void missingKeysTakeTheContractsDefaults() {
        PhonePolicy policy = new PhonePolicy(" de ", null, null, null, 3, null, null, null, null, null).withDefaults();

        assertEquals("DE", policy.defaultCountry());
        assertEquals(List.of(), policy.allowedCountries());
        assertEquals(PhonePolicy.DEFAULT_BLOCKED_NUMBER_TYPES, policy.blockedNumberTypes());
        assertEquals(true, policy.uniqueNumbers());
        assertEquals(List.of(3, 10, 20, 1000), List.of(policy.maxSendsPerNumberPerHour(), policy.maxSendsPerUserPerHour(),
                policy.maxSendsPerIpPerHour(), policy.maxSendsPerRealmPerHour()));
        assertTrue(PhonePolicyValidator.problem(policy).isEmpty());
    }

    @Test
    void namesTheKeyThatIsWrong() {
        assertTrue(PhonePolicyValidator.problem(new PhonePolicy(null, List.of("XX"), null, null, null, null, null, null, null, null).withDefaults())
                .orElseThrow().startsWith("allowedCountries"));
        assertTrue(PhonePolicyValidator.problem(new PhonePolicy(null, null, List.of("CHEAP"), null, null, null, null, null, null, null).withDefaults())
                .orElseThrow().startsWith("blockedNumberTypes"));
        assertTrue(PhonePolicyValidator.problem(new PhonePolicy(null, null, null, null, null, null, null, 0, null, null).withDefaults())
                .orElseThrow().startsWith("maxSendsPerRealmPerHour"));
    }

    @Test
    void aNullEntryInAListIsRefusedNotAnError() {
        java.util.List<String> withNull = new java.util.ArrayList<>(java.util.Arrays.asList("US", null));
        assertTrue(PhonePolicyValidator.problem(new PhonePolicy(null, withNull, null, null, null, null, null, null, null, null).withDefaults())
                .orElseThrow().startsWith("allowedCountries"));
        assertTrue(PhonePolicyValidator.problem(new PhonePolicy(null, null, withNull, null, null, null, null, null, null, null).withDefaults())
                .orElseThrow().startsWith("blockedNumberTypes"));
    }

    @Test
    void nationalNumbersAreReadWithThePolicysCountryElseTheRealmLocalesCountry() {
        PhonePolicy none = PhonePolicy.defaults();
        assertEquals("CH", none.nationalRegion("de-CH"));
        assertEquals("BR", none.nationalRegion("pt_BR"));
        assertEquals(null, none.nationalRegion("de"), "a language alone names no country");
        assertEquals(null, none.nationalRegion(null));
        PhonePolicy us = new PhonePolicy("us", null, null, null, null, null, null, null, null, null).withDefaults();
        assertEquals("US", us.nationalRegion("de-CH"));
    }
}
