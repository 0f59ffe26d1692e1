package io.phoneotp.keycloak.delivery;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes what the phone receives, from the login theme's message bundle in the user's language:
 * so a realm's localization overrides and a custom login theme's messages apply to texts and calls
 * as they do to pages. A text an administrator broke (a pattern MessageFormat cannot read, one that
 * invents a placeholder or drops the code) is replaced by the jar's own text, with a WARN: never a failed send.
 */
public final class OtpText {

    private static final Logger LOG = Logger.getLogger(OtpText.class);
    /** Every key this extension's texts use starts so. */
    private static final String PREFIX = "phoneOtp";
    /** Realms times languages; cleared when full. */
    private static final int KEPT = 1_000;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)[,}]");
    private static final Map<String, Bundle> BUNDLES = new ConcurrentHashMap<>();
    /** What the texts are formatted with: realm name, code or digits (strings), minutes (a number). */
    private static final Object[] SAMPLE_ARGUMENTS = {"Realm", "123456", 5L};

    private record Bundle(Theme theme, Map<String, Map<String, String>> realmTexts, Texts texts) {
    }

    /** The extension's texts for one realm and language, each one checked usable. */
    private record Texts(Locale locale, Map<String, String> patterns) {

        String format(String key, Object... args) {
            return new MessageFormat(patterns.getOrDefault(key, key), locale).format(args);
        }
    }

    private OtpText() {
    }

    /**
     * The text message: realm name, code, lifetime, and as its last line the origin-bound
     * {@code @host #code}, which lets iOS and Chrome offer to fill the code in on that site only.
     * One segment: see {@link OneSegment}.
     */
    public static String sms(KeycloakSession session, RealmModel realm, UserModel user, String messageKey, String code, int ttlSeconds) {
        String host = session.getContext().getUri().getBaseUri().getHost();
        long minutes = Math.max(1, (ttlSeconds + 59) / 60);
        return oneSegment(texts(session, realm, user), messageKey, realmName(realm), "\n\n@" + host + " #" + code, code, minutes);
    }

    /**
     * A text message with a sign-in link ({@code key}: the realm name, then {@code rest}, among them
     * the link). It has no origin-bound line: the link is the way in on the same device, and a
     * link and that line together leave no room for words.
     */
    public static String smsLink(KeycloakSession session, RealmModel realm, UserModel user, String key, Object... rest) {
        return oneSegment(texts(session, realm, user), key, realmName(realm), "", rest);
    }

    /** The text that tells the previous number it no longer receives this account's codes; {@code lastDigits} of the new one. */
    public static String numberChanged(KeycloakSession session, RealmModel realm, UserModel user, String lastDigits) {
        return oneSegment(texts(session, realm, user), "phoneOtpNumberChangedSmsText", realmName(realm), "", lastDigits);
    }

    /** The administrator's test message, in the realm's default language. */
    public static String smsTest(KeycloakSession session, RealmModel realm) {
        return oneSegment(texts(session, realm, (UserModel) null), "phoneOtpSmsTestText", realmName(realm), "");
    }

    private static String oneSegment(Texts texts, String key, String realmName, String suffix, Object... rest) {
        String text = OneSegment.message(texts.patterns()::get, texts.locale(), key, realmName, suffix, rest);
        if (!OneSegment.fits(text)) {
            LOG.warnf("The text message %s in %s needs %s even at its shortest: the login host name is long",
                    key, texts.locale().toLanguageTag(), SmsLength.of(text));
        }
        return text;
    }

    /** What a call says: greeting, the code digit by digit {@code repeat} times, goodbye; in the user's language. */
    public static VoiceScript voice(KeycloakSession session, RealmModel realm, UserModel user, String code, int repeat) {
        return script(session, realm, user, "phoneOtpVoiceCode", code, repeat);
    }

    /** The administrator's test call, in the realm's default language. */
    public static VoiceScript voiceTest(KeycloakSession session, RealmModel realm) {
        return script(session, realm, null, "phoneOtpVoiceTestText", null, 0);
    }

    /** Worded in the listener's language, the realm's default language and English, for the provider to pick from. */
    private static VoiceScript script(KeycloakSession session, RealmModel realm, UserModel user, String middleKey, String code, int repeat) {
        Set<Locale> languages = new LinkedHashSet<>();
        languages.add(session.getContext().resolveLocale(user));
        if (realm.isInternationalizationEnabled() && realm.getDefaultLocale() != null) {
            languages.add(Locale.forLanguageTag(realm.getDefaultLocale()));
        }
        languages.add(Locale.ENGLISH);
        List<VoiceScript.Wording> wordings = new ArrayList<>();
        for (Locale language : languages) {
            Texts texts = texts(session, realm, language);
            wordings.add(new VoiceScript.Wording(language, texts.format("phoneOtpVoiceGreeting", realmName(realm)),
                    texts.format(middleKey), texts.format("phoneOtpVoiceGoodbye")));
        }
        return new VoiceScript(wordings, code, repeat);
    }

    private static String realmName(RealmModel realm) {
        return realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName();
    }

    private static Texts texts(KeycloakSession session, RealmModel realm, UserModel user) {
        return texts(session, realm, session.getContext().resolveLocale(user));
    }

    /**
     * The texts of this extension for a realm and language. Keycloak merges the theme's bundles and
     * the realm's own texts into a new bundle of some thousand entries on every call, which a send
     * would pay once more after the page's own render; so the extension's entries are kept, as long
     * as the theme is the same instance (Keycloak's theme cache is on) and the realm's texts are
     * unchanged (an administrator's edit applies to the next message).
     */
    private static Texts texts(KeycloakSession session, RealmModel realm, Locale locale) {
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            Map<String, Map<String, String>> realmTexts = realm.getRealmLocalizationTexts();
            String key = realm.getId() + "|" + locale.toLanguageTag();
            Bundle known = BUNDLES.get(key);
            if (known != null && known.theme() == theme && known.realmTexts().equals(realmTexts)) {
                return known.texts();
            }
            Texts texts = new Texts(locale, usable(realm, locale, theme.getEnhancedMessages(realm, locale)));
            if (BUNDLES.size() >= KEPT) {
                BUNDLES.clear();
            }
            BUNDLES.put(key, new Bundle(theme, copy(realmTexts), texts));
            return texts;
        } catch (IOException e) {
            throw new IllegalStateException("Login theme messages cannot be read", e);
        }
    }

    /** The extension's entries, each replaced by the jar's own text where a theme or an administrator made it unusable. */
    private static Map<String, String> usable(RealmModel realm, Locale locale, Properties messages) {
        Properties bundled = BundledTexts.of(locale);
        Map<String, String> ours = new HashMap<>();
        messages.forEach((name, text) -> {
            String key = name.toString();
            String own = bundled.getProperty(key);
            // only the jar's keys: a wording it does not ship (say a ...Short of its own) would go out unchecked
            if (key.startsWith(PREFIX) && own != null) {
                String problem = own.equals(text) ? null : problem(text.toString(), own, locale);
                if (problem != null) {
                    LOG.warnf("Realm '%s': the text %s for %s cannot be used (%s); the extension's own text is used instead",
                            realm.getName(), key, locale.toLanguageTag(), problem);
                }
                ours.put(key, problem == null ? text.toString() : own);
            }
        });
        return ours;
    }

    /**
     * Why {@code text} cannot stand in for {@code own}, or null: it must read as a pattern, use no
     * placeholder the jar's text lacks, and keep {1} (the code, or the new number's last digits)
     * where the jar's text has it. Dropping the realm name or the minutes is the administrator's choice.
     */
    private static String problem(String text, String own, Locale locale) {
        try {
            // formatted once with arguments of the kinds the texts get: a pattern such as {1,number} reads, yet fails on the code
            new MessageFormat(text, locale).format(SAMPLE_ARGUMENTS);
        } catch (IllegalArgumentException e) {
            return "not a message pattern: " + e.getMessage();
        }
        Set<String> allowed = placeholders(own);
        Set<String> found = placeholders(text);
        if (!allowed.containsAll(found)) {
            return "placeholders " + found + " where the text has " + allowed;
        }
        return allowed.contains("1") && !found.contains("1") ? "{1} is missing" : null;
    }

    private static Set<String> placeholders(String pattern) {
        Set<String> found = new java.util.TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> texts) {
        Map<String, Map<String, String>> copy = new HashMap<>();
        texts.forEach((language, entries) -> copy.put(language, Map.copyOf(entries)));
        return copy;
    }
}
