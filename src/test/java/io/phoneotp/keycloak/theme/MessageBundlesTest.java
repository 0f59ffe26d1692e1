package io.phoneotp.keycloak.theme;

import org.junit.jupiter.api.Test;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every language Keycloak's login theme speaks, ours too; each says everything English says, with
 * the same placeholders, in patterns MessageFormat reads as meant, and none is English left in place.
 */
class MessageBundlesTest {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");

    /**
     * Texts that are rightly the same as the English ones: words the language borrowed as they are
     * ("Code", "SMS"), and the admin console's tab titles, which name the product.
     */
    private static final Map<String, Set<String>> SAME_AS_ENGLISH = Map.ofEntries(
            Map.entry("*", Set.of("phone-otp-sms", "phone-otp-voice", "phone-otp-policy")),
            Map.entry("de", Set.of("phoneOtpCodeLabel")),
            Map.entry("fr", Set.of("phoneOtpCodeLabel")),
            Map.entry("nl", Set.of("phoneOtpCodeLabel")));

    /**
     * Keycloak names its own Chinese bundles by script (zh_Hans, zh_Hant), yet offers the locales
     * zh-CN and zh-TW, and looks up an extension's theme resources by the locale's own name
     * (ClasspathThemeResourceProviderFactory: messages_zh_CN): so ours are named so.
     */
    static final Map<String, String> OUR_NAME = Map.of("zh_Hans", "zh_CN", "zh_Hant", "zh_TW");

    @Test
    void everyLanguageOfKeycloaksLoginThemeHasABundle() {
        Set<String> keycloaks = Bundles.keycloaksLanguages();
        assertEquals(41, keycloaks.size(), "Keycloak 26.7.3's base login theme: " + keycloaks);
        Set<String> expected = new TreeSet<>();
        keycloaks.forEach(language -> expected.add(OUR_NAME.getOrDefault(language, language)));
        assertEquals(expected, Bundles.ours().keySet());
    }

    @Test
    void everyBundleHasEnglishsKeysAndPlaceholders() {
        Map<String, Properties> bundles = Bundles.ours();
        Properties english = bundles.get("en");
        for (Map.Entry<String, Properties> bundle : bundles.entrySet()) {
            Properties messages = bundle.getValue();
            assertEquals(english.stringPropertyNames(), messages.stringPropertyNames(), bundle.getKey() + " has the same keys");
            for (String key : english.stringPropertyNames()) {
                String value = messages.getProperty(key);
                assertFalse(value.replace("''", "").contains("'"),
                        bundle.getKey() + " " + key + ": MessageFormat would eat a single straight apostrophe (write two)");
                assertEquals(placeholders(english.getProperty(key)), placeholders(value), bundle.getKey() + " " + key);
                new MessageFormat(value).format(new Object[]{"a", "b", "c", "d"});
                assertFalse(value.isBlank(), bundle.getKey() + " " + key);
            }
        }
    }

    @Test
    void noLanguageLeavesEnglishInPlace() {
        Map<String, Properties> bundles = Bundles.ours();
        Properties english = bundles.get("en");
        List<String> untranslated = new ArrayList<>();
        bundles.forEach((language, messages) -> {
            if (language.equals("en")) {
                return;
            }
            for (String key : english.stringPropertyNames()) {
                boolean allowed = SAME_AS_ENGLISH.get("*").contains(key)
                        || SAME_AS_ENGLISH.getOrDefault(language, Set.of()).contains(key);
                if (!allowed && english.getProperty(key).equals(messages.getProperty(key))) {
                    untranslated.add(language + " " + key);
                }
            }
        });
        assertTrue(untranslated.isEmpty(), "English left in place: " + untranslated);
    }

    static Set<String> placeholders(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
