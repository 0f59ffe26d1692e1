package io.phoneotp.keycloak.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Parses what a person or an administrator typed into one canonical form, E.164. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** What libphonenumber says about a valid number: its E.164 form, region and type. */
    public record Facts(String e164, String region, PhoneNumberUtil.PhoneNumberType type) {
    }

    /** Parsing a number and matching it against its region's patterns costs; the answers are kept, up to this many. */
    private static final int KEPT = 10_000;
    private static final Map<String, Optional<Facts>> KNOWN = new ConcurrentHashMap<>();

    /**
     * @param input         a number in international format, or national format when {@code defaultRegion} is set
     * @param defaultRegion ISO 3166 alpha-2 region for national numbers, or null
     * @return the number in E.164 ({@code +14155552671}) when it is a valid number
     */
    public static Optional<String> toE164(String input, String defaultRegion) {
        return facts(input, defaultRegion).map(Facts::e164);
    }

    /** @return true when {@code input} is already a valid number written in E.164 */
    public static boolean isE164(String input) {
        return input != null && toE164(input, null).map(input::equals).orElse(false);
    }

    /** The facts of a valid number; empty for anything else. */
    public static Optional<Facts> facts(String input, String defaultRegion) {
        if (input == null || input.isBlank() || input.length() > 40) {
            return Optional.empty();
        }
        String region = defaultRegion == null || defaultRegion.isBlank() ? null : defaultRegion.toUpperCase();
        String key = region + "|" + input;
        Optional<Facts> known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        Optional<Facts> found = parse(input, region);
        if (KNOWN.size() >= KEPT) {
            KNOWN.clear(); // bounded, whatever is typed; the numbers in use come back at once
        }
        KNOWN.put(key, found);
        return found;
    }

    private static Optional<Facts> parse(String input, String region) {
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(input.trim(), region);
            if (!UTIL.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(new Facts(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164),
                    UTIL.getRegionCodeForNumber(number), UTIL.getNumberType(number)));
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
