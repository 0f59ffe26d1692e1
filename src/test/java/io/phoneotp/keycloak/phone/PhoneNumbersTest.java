package io.phoneotp.keycloak.phone;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneNumbersTest {

    @Test
    void normalizesInternationalInputToE164() {
        assertEquals(Optional.of("+14155552671"), PhoneNumbers.toE164("+1 (415) 555-2671", null));
        assertEquals(Optional.of("+4915112345678"), PhoneNumbers.toE164("+49 151 12345678", null));
        assertEquals(Optional.of("+4915112345678"), PhoneNumbers.toE164("0049 151 12345678", "DE"));
    }

    @Test
    void readsNationalInputWithTheDefaultRegion() {
        assertEquals(Optional.of("+4915112345678"), PhoneNumbers.toE164("0151 12345678", "DE"));
        assertEquals(Optional.of("+14155552671"), PhoneNumbers.toE164("(415) 555-2671", "us"));
        assertEquals(Optional.empty(), PhoneNumbers.toE164("0151 12345678", null), "national format needs a region");
    }

    @Test
    void refusesWhatIsNotAValidNumber() {
        assertEquals(Optional.empty(), PhoneNumbers.toE164("+1 555", null));
        assertEquals(Optional.empty(), PhoneNumbers.toE164("call me", "US"));
        assertEquals(Optional.empty(), PhoneNumbers.toE164("", "US"));
        assertEquals(Optional.empty(), PhoneNumbers.toE164(null, "US"));
        assertEquals(Optional.empty(), PhoneNumbers.toE164("+1415555267" + "1".repeat(40), null));
    }

    @Test
    void recognisesCanonicalE164Only() {
        assertTrue(PhoneNumbers.isE164("+14155552671"));
        assertFalse(PhoneNumbers.isE164("+1 415 555 2671"));
        assertFalse(PhoneNumbers.isE164("14155552671"));
        assertFalse(PhoneNumbers.isE164(null));
    }

    @Test
    void masksAllButTheLastTwoDigits() {
        assertEquals("+*********71", PhoneNumbers.mask("+14155552671"));
        assertEquals("", PhoneNumbers.mask(null));
        assertEquals("12", PhoneNumbers.mask("12"));
    }

    @Test
    void tellsAPhoneNumberFromAUsernameOrAnEmail() {
        assertTrue(PhoneNumbers.looksLikePhoneNumber("+14155552671"));
        assertTrue(PhoneNumbers.looksLikePhoneNumber("(415) 555-2671"));
        assertTrue(PhoneNumbers.looksLikePhoneNumber("0151 1234 5678"));
        assertFalse(PhoneNumbers.looksLikePhoneNumber("alice"));
        assertFalse(PhoneNumbers.looksLikePhoneNumber("alice@example.org"));
        assertFalse(PhoneNumbers.looksLikePhoneNumber("123"));
    }

    @Test
    void anExampleNumberInTheCountrysOwnFormatIsAValidNumberThere() {
        String example = PhoneNumbers.exampleMobile("DE").orElseThrow();
        assertFalse(example.startsWith("+"), example);
        assertTrue(PhoneNumbers.toE164(example, "DE").isPresent(), example);
    }

    @Test
    void aNumbersRangeIsItsCountryCodeAndNationalNumberWithoutTheLastFourDigits() {
        assertEquals("+1415555", PhoneNumbers.range("+14155552671"));
        assertEquals("+491511234", PhoneNumbers.range("+4915112345678"));
        assertEquals(PhoneNumbers.range("+14155550000"), PhoneNumbers.range("+14155559999"));
    }
}
