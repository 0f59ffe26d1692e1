package io.phoneotp.keycloak.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts as this jar ships them, without any theme's or realm's changes: what a message falls
 * back to when an administrator's text cannot be used. Looked up like Keycloak looks up the jar's
 * theme resources ({@code messages_<locale>.properties}), then by language, then English.
 */
final class BundledTexts {

    private static final String FOLDER = "theme-resources/messages/messages_";
    private static final Map<Locale, Properties> LOADED = new ConcurrentHashMap<>();

    private BundledTexts() {
    }

    static Properties of(Locale locale) {
        return LOADED.computeIfAbsent(locale, BundledTexts::load);
    }

    private static Properties load(Locale locale) {
        Properties texts = new Properties();
        read("en", texts);
        read(locale.getLanguage(), texts);
        read(locale.toString(), texts);
        return texts;
    }

    private static void read(String name, Properties into) {
        try (InputStream in = BundledTexts.class.getClassLoader().getResourceAsStream(FOLDER + name + ".properties")) {
            if (in != null) {
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    into.load(reader);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
