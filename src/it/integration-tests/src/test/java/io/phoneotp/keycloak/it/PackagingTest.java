package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.info.ProviderRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one jar an administrator drops into providers/: relocated libraries, loaded cleanly by the real server. */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class PackagingTest extends PhoneOtpTestBase {

    static final Path PROVIDERS = Path.of("/tmp/kc-test-framework/keycloak/keycloak-26.7.3/providers");

    @Test
    void theServerRunsTheShadedJarWithRelocatedLibraries() throws Exception {
        // providers/ also holds the test framework's own providers (the time offset endpoint)
        File[] jars = PROVIDERS.toFile().listFiles((dir, name) -> name.contains("keycloak-phone-otp") && name.endsWith(".jar"));
        assertEquals(1, jars.length, "one jar of this extension in providers/");
        try (JarFile jar = new JarFile(jars[0])) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("io/phoneotp/keycloak/shaded/com/twilio/rest/api/v2010/account/Message.class"));
            assertTrue(names.contains("io/phoneotp/keycloak/shaded/com/google/i18n/phonenumbers/PhoneNumberUtil.class"));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("com/twilio/") || n.startsWith("com/google/") || n.startsWith("org/apache/hc/")
                    || n.startsWith("com/fasterxml/") || n.startsWith("io/jsonwebtoken/")), "nothing bundled under its original package");
            assertTrue(names.stream().noneMatch(n -> n.contains("io/micrometer/")), "Micrometer is Keycloak's: neither bundled nor relocated");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/keycloak/")), "nothing of Keycloak's own bundled");
            assertTrue(names.contains("theme-resources/templates/phone-otp-code.ftl"));
        }
    }

    @Test
    void theJarShipsOnlyWhatRunsAndNothingItNames() throws Exception {
        File[] jars = PROVIDERS.toFile().listFiles((dir, name) -> name.contains("keycloak-phone-otp") && name.endsWith(".jar"));
        assertTrue(jars[0].length() < 5_000_000, "the jar is minimized: " + jars[0].length() + " bytes");
        try (JarFile jar = new JarFile(jars[0])) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            // loaded by name at run time, never seen by the minimizer
            assertTrue(names.stream().filter(n -> n.startsWith("io/phoneotp/keycloak/shaded/com/google/i18n/phonenumbers/data/PhoneNumberMetadataProto_")).count() > 200,
                    "libphonenumber's metadata");
            for (String name : names.stream().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/")).toList()) {
                for (String line : new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                    String provider = line.replaceAll("#.*", "").trim();
                    if (!provider.isEmpty()) {
                        assertTrue(names.contains(provider.replace('.', '/') + ".class"), name + " names " + provider + ", which the jar does not hold");
                    }
                }
            }
        }
    }

    @Test
    void theServerKnowsTheSenderSpiAndItsProviders() {
        Map<String, ProviderRepresentation> senders = adminClient.serverInfo().getInfo().getProviders().get("phone-otp-sender").getProviders();
        assertTrue(senders.containsKey("twilio"));
        assertTrue(senders.containsKey("log"));
    }

    @Test
    void theServerLogShowsNoClassLoadingTrouble() throws Exception {
        signInWithPassword("alice"); // exercises the relocated Twilio SDK and libphonenumber inside the server
        codePage.submitCode(twilio.lastMessageTo(SmsSecondFactorTest.ALICE).code());
        assertTrue(signedIn(), pageText());

        List<String> log = Files.readAllLines(PhoneOtpServerConfig.SERVER_LOG);
        assertFalse(log.isEmpty());
        for (String line : log) {
            assertFalse(line.matches(".*(NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError|LinkageError|split package).*"), line);
            assertFalse(line.contains(" ERROR ") && line.contains("io.phoneotp"), line);
        }
    }
}
