package io.phoneotp.keycloak.theme;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The extension's message bundles, and the languages of Keycloak's own base login theme (from its jar). */
public final class Bundles {

    public static final Path MESSAGES = Path.of("themes", "messages");
    private static final Pattern KEYCLOAK_BUNDLE = Pattern.compile("theme/base/login/messages/messages_(.+)\\.properties");

    private Bundles() {
    }

    /** Our bundles by their file's language suffix ("en", "pt_BR", ...). */
    public static Map<String, Properties> ours() {
        Map<String, Properties> bundles = new TreeMap<>();
        try (Stream<Path> files = Files.list(MESSAGES)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("messages_") && n.endsWith(".properties"))
                    .forEach(n -> bundles.put(n.substring("messages_".length(), n.length() - ".properties".length()),
                            load(MESSAGES.resolve(n))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundles;
    }

    /** The suffixes of Keycloak's base login bundles, as the distribution names them. */
    public static TreeSet<String> keycloaksLanguages() {
        URL marker = Bundles.class.getClassLoader().getResource("theme/base/login/theme.properties");
        try {
            JarFile jar = ((JarURLConnection) marker.openConnection()).getJarFile();
            TreeSet<String> languages = new TreeSet<>();
            for (var entry : Collections.list(jar.entries())) {
                Matcher m = KEYCLOAK_BUNDLE.matcher(entry.getName());
                if (m.matches()) {
                    languages.add(m.group(1));
                }
            }
            return languages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The locale a bundle suffix names: "pt_BR" is pt-BR, "zh_Hant" is zh-Hant. */
    public static Locale locale(String suffix) {
        return Locale.forLanguageTag(suffix.replace('_', '-'));
    }

    public static Properties load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties load(InputStream in) throws IOException {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            return properties;
        }
    }
}
