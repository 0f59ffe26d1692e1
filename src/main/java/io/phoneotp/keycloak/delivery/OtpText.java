package io.phoneotp.keycloak.delivery;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.theme.Theme;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** Composes what the phone receives, from the login theme's message bundle in the user's language. */
public final class OtpText {

    /** Every key this extension's texts use starts so. */
    private static final String PREFIX = "phoneOtp";
    /** Realms times languages; cleared when full. */
    private static final int KEPT = 1_000;
    private static final Map<String, Bundle> BUNDLES = new ConcurrentHashMap<>();

    private record Bundle(Theme theme, Map<String, Map<String, String>> realmTexts, Properties messages) {
    }

    private OtpText() {
    }

    /**
     * The text message: realm name, code, lifetime, and as its last line the origin-bound
     * {@code @host #code}, which lets iOS and Chrome offer to fill the code in on that site only.
     */
    public static String sms(KeycloakSession session, RealmModel realm, UserModel user, String messageKey, String code, int ttlSeconds) {
        String realmName = realmName(realm);
        String host = session.getContext().getUri().getBaseUri().getHost();
        long minutes = Math.max(1, (ttlSeconds + 59) / 60);
        return format(session, realm, user, messageKey, realmName, code, minutes) + "\n\n@" + host + " #" + code;
    }

    /** The text that tells the previous number it no longer receives this account's codes; {@code lastDigits} of the new one. */
    public static String numberChanged(KeycloakSession session, RealmModel realm, UserModel user, String lastDigits) {
        return format(session, realm, user, "phoneOtpNumberChangedSmsText", realmName(realm), lastDigits);
    }

    /** What a call says: greeting, the code digit by digit {@code repeat} times, goodbye; in the user's language. */
    public static VoiceScript voice(KeycloakSession session, RealmModel realm, UserModel user, String code, int repeat) {
        return script(session, realm, user, "phoneOtpVoiceCode", code, repeat);
    }

    /** The administrator's test call, in the realm's default language. */
    public static VoiceScript voiceTest(KeycloakSession session, RealmModel realm) {
        return script(session, realm, null, "phoneOtpVoiceTestText", null, 0);
    }

    private static VoiceScript script(KeycloakSession session, RealmModel realm, UserModel user, String middleKey, String code, int repeat) {
        Locale locale = session.getContext().resolveLocale(user);
        Properties messages = messages(session, realm, locale);
        return new VoiceScript(locale, format(messages, locale, "phoneOtpVoiceGreeting", realmName(realm)),
                format(messages, locale, middleKey), code, repeat, format(messages, locale, "phoneOtpVoiceGoodbye"));
    }

    /** The administrator's test message, in the realm's default language. */
    public static String smsTest(KeycloakSession session, RealmModel realm) {
        return format(session, realm, null, "phoneOtpSmsTestText", realmName(realm));
    }

    private static String realmName(RealmModel realm) {
        return realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName();
    }

    private static String format(KeycloakSession session, RealmModel realm, UserModel user, String key, Object... args) {
        Locale locale = session.getContext().resolveLocale(user);
        return format(messages(session, realm, locale), locale, key, args);
    }

    private static String format(Properties messages, Locale locale, String key, Object... args) {
        return new MessageFormat(messages.getProperty(key, key), locale).format(args);
    }

    /**
     * The texts of this extension for a realm and language. Keycloak merges the theme's bundles and
     * the realm's own texts into a new bundle of some thousand entries on every call, which a send
     * would pay once more after the page's own render; so the extension's entries are kept, as long
     * as the theme is the same instance (Keycloak's theme cache is on) and the realm's texts are
     * unchanged (an administrator's edit applies to the next message).
     */
    private static Properties messages(KeycloakSession session, RealmModel realm, Locale locale) {
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            Map<String, Map<String, String>> realmTexts = realm.getRealmLocalizationTexts();
            String key = realm.getId() + "|" + locale.toLanguageTag();
            Bundle known = BUNDLES.get(key);
            if (known != null && known.theme() == theme && known.realmTexts().equals(realmTexts)) {
                return known.messages();
            }
            Properties ours = new Properties();
            theme.getEnhancedMessages(realm, locale).forEach((name, text) -> {
                if (name.toString().startsWith(PREFIX)) {
                    ours.put(name, text);
                }
            });
            if (BUNDLES.size() >= KEPT) {
                BUNDLES.clear();
            }
            BUNDLES.put(key, new Bundle(theme, copy(realmTexts), ours));
            return ours;
        } catch (IOException e) {
            throw new IllegalStateException("Login theme messages cannot be read", e);
        }
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> texts) {
        Map<String, Map<String, String>> copy = new HashMap<>();
        texts.forEach((language, entries) -> copy.put(language, Map.copyOf(entries)));
        return copy;
    }
}
