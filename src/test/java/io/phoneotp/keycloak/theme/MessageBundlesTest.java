package io.phoneotp.keycloak.theme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every language says everything English says, with the same placeholders, in patterns MessageFormat reads as meant. */
class MessageBundlesTest {

    static final Path MESSAGES = Path.of("themes", "messages");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");

    @Test
    void everyBundleHasEnglishsKeysAndPlaceholders() throws IOException {
        Properties english = load(MESSAGES.resolve("messages_en.properties"));
        List<Path> bundles;
        try (Stream<Path> files = Files.list(MESSAGES)) {
            bundles = files.filter(f -> f.getFileName().toString().startsWith("messages_")).sorted().toList();
        }
        assertTrue(bundles.size() >= 7, "English, German and at least five more: " + bundles);
        for (Path bundle : bundles) {
            Properties messages = load(bundle);
            assertEquals(english.stringPropertyNames(), messages.stringPropertyNames(), bundle + " has the same keys");
            for (String key : english.stringPropertyNames()) {
                String value = messages.getProperty(key);
                assertFalse(value.contains("'"), bundle + " " + key + ": MessageFormat would eat a straight apostrophe");
                assertEquals(placeholders(english.getProperty(key)), placeholders(value), bundle + " " + key);
                new MessageFormat(value).format(new Object[]{"a", "b", "c", "d"});
            }
        }
    }

    private static Set<String> placeholders(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
