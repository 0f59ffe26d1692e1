package io.phoneotp.keycloak.delivery;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Twilio's rules for what a text message may come from. */
class SenderIdTest {

    @Test
    void aPhoneNumberIsAValidNumberInE164() {
        assertEquals(Optional.of(SenderId.PHONE_NUMBER), SenderId.of("+16175551212"));
        assertEquals(Optional.of(SenderId.PHONE_NUMBER), SenderId.of("+4915112345678"));
        assertEquals(Optional.empty(), SenderId.of("+1617555121"), "too short for a US number");
        assertEquals(Optional.empty(), SenderId.of("+1 617 555 1212"), "E.164 has no spaces");
    }

    @Test
    void aShortCodeHasFiveOrSixDigits() {
        assertEquals(Optional.of(SenderId.SHORT_CODE), SenderId.of("12345"));
        assertEquals(Optional.of(SenderId.SHORT_CODE), SenderId.of("894546"));
        assertEquals(Optional.empty(), SenderId.of("1234"));
        assertEquals(Optional.empty(), SenderId.of("6175551212"), "a phone number without + and country code");
        assertEquals(Optional.empty(), SenderId.of("1234567"));
    }

    @Test
    void anAlphanumericSenderIdHasAtMostElevenLettersDigitsAndSpacesAndALetter() {
        assertEquals(Optional.of(SenderId.ALPHANUMERIC), SenderId.of("ACME"));
        assertEquals(Optional.of(SenderId.ALPHANUMERIC), SenderId.of("Acme Bank 1"), "11 characters with spaces");
        assertEquals(Optional.of(SenderId.ALPHANUMERIC), SenderId.of("A"));
        assertEquals(Optional.of(SenderId.ALPHANUMERIC), SenderId.of("2FA"));
        assertEquals(Optional.empty(), SenderId.of("Acme Bank 12"), "12 characters");
        assertEquals(Optional.empty(), SenderId.of("ACME-BANK"), "no signs");
        assertEquals(Optional.empty(), SenderId.of("ACMÉ"), "ASCII letters only");
        assertEquals(Optional.empty(), SenderId.of("123 456"), "at least one letter");
        assertEquals(Optional.empty(), SenderId.of(""));
        assertEquals(Optional.empty(), SenderId.of(null));
    }

    @Test
    void aMessagingServiceIsMGAndThirtyTwoHexadecimalCharacters() {
        assertEquals(Optional.of(SenderId.MESSAGING_SERVICE), SenderId.of("MG0123456789abcdef0123456789ABCDEF"));
        assertEquals(Optional.empty(), SenderId.of("MG0123456789abcdef0123456789ABCDEG"));
        assertEquals(Optional.of(SenderId.ALPHANUMERIC), SenderId.of("MG1"), "short: a sender ID that starts with MG");
    }
}
