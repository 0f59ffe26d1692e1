package io.phoneotp.keycloak.delivery;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fits a text message into one segment, since every further segment is billed for every sign-in.
 * The fullest wording comes first; when it is too long the realm name is shortened with an
 * ellipsis (down to {@link #NAME_KEPT} characters), then the next, terser wording is tried with
 * the name shortened as far as needed. The code and the origin-bound last line are never touched.
 */
public final class OneSegment {

    /** How much of the realm name the fuller wordings keep before a terser wording is preferred. */
    static final int NAME_KEPT = 8;

    private OneSegment() {
    }

    /**
     * @param wordings the message's wordings, fullest first, each given the realm name to insert
     * @param realmName the realm's display name
     * @param suffix appended unchanged (the origin-bound line), or empty
     * @return the first text that fits one segment, else the tersest wording with one letter of the name
     */
    public static String fit(List<Function<String, String>> wordings, String realmName, String suffix) {
        int names = realmName.codePointCount(0, realmName.length());
        for (int i = 0; i < wordings.size(); i++) {
            Function<String, String> wording = wordings.get(i);
            String full = wording.apply(realmName) + suffix;
            if (fits(full)) {
                return full;
            }
            int floor = i == wordings.size() - 1 ? 1 : Math.min(NAME_KEPT, names);
            String ellipsis = SmsLength.isGsm7(full) ? "..." : "\u2026";
            // the text's length grows with the name's: the longest name that fits is found by halving
            int low = floor;
            int high = names - 1;
            String best = null;
            while (low <= high) {
                int kept = (low + high) >>> 1;
                String text = wording.apply(shorten(realmName, kept, ellipsis)) + suffix;
                if (fits(text)) {
                    best = text;
                    low = kept + 1;
                } else {
                    high = kept - 1;
                }
            }
            if (best != null) {
                return best;
            }
        }
        Function<String, String> tersest = wordings.get(wordings.size() - 1);
        String full = tersest.apply(realmName) + suffix;
        return names <= 1 ? full : tersest.apply(shorten(realmName, 1, SmsLength.isGsm7(full) ? "..." : "\u2026")) + suffix;
    }

    /** A message key's terser wording, tried when the full one does not fit. */
    public static final String SHORT = "Short";

    /**
     * The text message {@code key} in one segment: its pattern, then its {@code key + "Short"}
     * pattern if there is one, each given the realm name as {0} and {@code rest} as {1}, {2}, ...
     *
     * @param patterns the language's pattern for a key, or null
     */
    public static String message(Function<String, String> patterns, Locale locale, String key, String realmName,
                                 String suffix, Object... rest) {
        List<Function<String, String>> wordings = new ArrayList<>();
        for (String wording : patterns.apply(key + SHORT) != null ? List.of(key, key + SHORT) : List.of(key)) {
            String pattern = patterns.apply(wording);
            wordings.add(name -> new MessageFormat(pattern == null ? wording : pattern, locale).format(arguments(name, rest)));
        }
        return fit(wordings, realmName, suffix);
    }

    private static Object[] arguments(String realmName, Object... rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = realmName;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    public static boolean fits(String text) {
        return SmsLength.of(text).segments() == 1;
    }

    private static String shorten(String name, int codePoints, String ellipsis) {
        String head = name.substring(0, name.offsetByCodePoints(0, codePoints)).stripTrailing();
        while (!head.isEmpty() && !Character.isLetterOrDigit(head.codePointBefore(head.length()))) {
            head = head.substring(0, head.offsetByCodePoints(head.length(), -1));
        }
        return head + ellipsis;
    }
}
