package io.phoneotp.keycloak.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Optional;

/** Parses what a person or an administrator typed into one canonical form, E.164. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * @param input         a number in international format, or national format when {@code defaultRegion} is set
     * @param defaultRegion ISO 3166 alpha-2 region for national numbers, or null
     * @return the number in E.164 ({@code +14155552671}) when it is a valid number
     */
    public static Optional<String> toE164(String input, String defaultRegion) {
        return parseValid(input, defaultRegion).map(n -> UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /** @return true when {@code input} is already a valid number written in E.164 */
    public static boolean isE164(String input) {
        return input != null && toE164(input, null).map(input::equals).orElse(false);
    }

    public static Optional<Phonenumber.PhoneNumber> parseValid(String input, String defaultRegion) {
        if (input == null || input.isBlank() || input.length() > 40) {
            return Optional.empty();
        }
        try {
            String region = defaultRegion == null || defaultRegion.isBlank() ? null : defaultRegion.toUpperCase();
            Phonenumber.PhoneNumber number = UTIL.parse(input.trim(), region);
            return UTIL.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The range of 10,000 numbers {@code e164} belongs to: country code and national number without
     * its last four digits ({@code +14155552671} gives {@code +1415555}).
     */
    public static String range(String e164) {
        return e164.substring(0, Math.max(1, e164.length() - 4));
    }

    /** Whether a typed identifier is meant as a phone number: digits with the usual separators, maybe a leading +. */
    public static boolean looksLikePhoneNumber(String typed) {
        return typed != null && typed.matches("\\+?[0-9(][0-9 ()./-]{3,30}");
    }

    /**
     * Whether text holds enough digits to be a phone number in some form (say with letters or odd
     * separators): such text is masked wherever it is shown, whatever it was meant as.
     */
    public static boolean holdsANumber(String text) {
        return text != null && text.chars().filter(Character::isDigit).count() >= 7;
    }

    /** A made-up mobile number of {@code region} in its national format, as a hint for what to type. */
    public static Optional<String> exampleMobile(String region) {
        Phonenumber.PhoneNumber example = UTIL.getExampleNumberForType(region, PhoneNumberUtil.PhoneNumberType.MOBILE);
        return example == null ? Optional.empty() : Optional.of(UTIL.format(example, PhoneNumberUtil.PhoneNumberFormat.NATIONAL));
    }

    /**
     * Hides all but the last two digits, for pages, events and logs: {@code +14155552671} becomes
     * {@code +*********71}.
     */
    public static String mask(String number) {
        if (number == null || number.isEmpty()) {
            return "";
        }
        StringBuilder masked = new StringBuilder(number.length());
        int digitsSeen = 0;
        int totalDigits = (int) number.chars().filter(Character::isDigit).count();
        for (char c : number.toCharArray()) {
            if (Character.isDigit(c)) {
                digitsSeen++;
                masked.append(digitsSeen > totalDigits - 2 ? c : '*');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }
}
