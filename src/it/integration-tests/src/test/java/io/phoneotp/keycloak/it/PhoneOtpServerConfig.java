package io.phoneotp.keycloak.it;

import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one server configuration of the suite, so every test class shares one Keycloak:
 * the packaged provider jar installed, Twilio's API pointed at the fake on 127.0.0.1:8500,
 * a file vault holding the test realm's Twilio token, X-Forwarded-For trusted from the loopback
 * address (so a test can speak for other client addresses), metrics on the management interface,
 * the server log written to a file that tests read, and a themes folder with a custom login theme.
 */
public class PhoneOtpServerConfig implements KeycloakServerConfig {

    public static final Path SERVER_LOG = Path.of("target", "keycloak-server.log").toAbsolutePath();
    public static final Path VAULT_DIR = Path.of("target", "vault").toAbsolutePath();
    /** The file vault resolves ${vault.twilio-token} in realm phone-otp-test from this file. */
    public static final String VAULT_TOKEN = "token-from-the-vault";
    /** The server's themes folder: a custom login theme, phone-otp-custom, copied from the test resources. */
    public static final Path THEMES_DIR = Path.of("target", "themes").toAbsolutePath();

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        try {
            Files.createDirectories(VAULT_DIR);
            Files.writeString(VAULT_DIR.resolve("phone-otp-test_twilio-token"), VAULT_TOKEN);
            copyThemes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.log().handlers(KeycloakServerConfigBuilder.LogHandlers.CONSOLE, KeycloakServerConfigBuilder.LogHandlers.FILE);
        return config
                .dependency("io.phoneotp", "keycloak-phone-otp")
                .option("log-file", SERVER_LOG.toString())
                // the admin console's tabs for the providers and the policy (Keycloak's declarative UI, experimental in 26.7)
                .option("features", "declarative-ui")
                // the extension's meters on the management interface: http://localhost:9000/metrics
                .option("metrics-enabled", "true")
                .option("vault", "file")
                .option("vault-dir", VAULT_DIR.toString())
                // the tests' own clients stand behind this trusted proxy to present other client addresses
                // (the test realm has sslRequired "none": those addresses are pretend-remote, on plain HTTP)
                .option("proxy-headers", "xforwarded")
                .option("proxy-trusted-addresses", "127.0.0.1,::1")
                .spiOption("phone-otp-sender", "twilio", "api-base-url", FakeTwilio.BASE_URL)
                .spiOption("phone-otp-sender", "twilio", "read-timeout-millis", "2000")
                .spiOption("theme", "folder", "dir", THEMES_DIR.toString());
    }

    private static void copyThemes() throws IOException {
        Path source = Path.of("src", "test", "resources", "themes");
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = THEMES_DIR.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
