package io.phoneotp.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's kcadm.sh recipes, run as written (realm name aside) with the distribution's own
 * kcadm.sh against the running server: sign in, read and change the SMS provider, send a test
 * message, read and change the policy.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class KcadmRecipesTest extends PhoneOtpTestBase {

    private final ObjectMapper json = new ObjectMapper();
    private Path config;

    @BeforeEach
    void signIn() throws Exception {
        config = Files.createTempFile("kcadm", ".config");
        Result login = kcadm("config", "credentials", "--server", "http://localhost:8080", "--realm", "master", "--user", "admin",
                "--password", "admin");
        assertEquals(0, login.exit(), login.output());
    }

    @AfterEach
    void restore() throws Exception {
        assertEquals(200, AdminRest.put(ProviderSettingsAdminTest.SMS, admin(), ProviderSettingsAdminTest.VAULT_SETTINGS).statusCode());
        Files.deleteIfExists(config);
    }

    @Test
    void readChangeAndTestTheSmsProvider() throws Exception {
        Result read = kcadm("get", "phone-otp/providers/sms", "-r", REALM);
        assertEquals(0, read.exit(), read.output());
        assertEquals("${vault.twilio-token}", json.readTree(read.output()).get("authToken").asText());

        // the README's change of sender: --merge keeps what is not set (the token comes back masked, and the mask keeps it)
        Result update = kcadm("update", "phone-otp/providers/sms", "-r", REALM, "--merge", "-s", "from=+15005550007");
        assertEquals(0, update.exit(), update.output());
        JsonNode stored = json.readTree(AdminRest.get(ProviderSettingsAdminTest.SMS, admin()).body());
        assertEquals("+15005550007", stored.get("from").asText());
        assertEquals("${vault.twilio-token}", stored.get("authToken").asText());

        Result refused = kcadm("update", "phone-otp/providers/sms", "-r", REALM, "--merge", "-s", "from=+1555");
        assertFalse(refused.exit() == 0, refused.output());
        assertTrue(refused.output().contains("from must be a valid phone number"), refused.output());

        Result test = kcadm("create", "phone-otp/providers/sms/test", "-r", REALM, "-b", "{\"to\":\"+14155550125\"}", "-o");
        assertEquals(0, test.exit(), test.output());
        assertEquals("+15005550007", twilio.lastMessageTo("+14155550125").form().get("From"));
    }

    @Test
    void readAndChangeThePolicy() throws Exception {
        policy(java.util.Map.of("allowedCountries", List.of("US")));
        Result update = kcadm("update", "phone-otp/policy", "-r", REALM, "--merge", "-s", "maxSendsPerNumberPerHour=4");
        assertEquals(0, update.exit(), update.output());

        Result read = kcadm("get", "phone-otp/policy", "-r", REALM);
        assertEquals(0, read.exit(), read.output());
        JsonNode policy = json.readTree(read.output());
        assertEquals(4, policy.get("maxSendsPerNumberPerHour").asInt());
        assertEquals("US", policy.get("allowedCountries").get(0).asText(), "--merge kept what was not set");
    }

    private record Result(int exit, String output) {
    }

    private Result kcadm(String... args) throws IOException, InterruptedException {
        // through bash: the framework unpacks the distribution without the scripts' execute bits
        List<String> command = new ArrayList<>(List.of("bash", kcadmScript().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kcadm.sh finished");
        return new Result(process.exitValue(), output);
    }

    /** kcadm.sh of the distribution the test framework unpacked and runs. */
    private static Path kcadmScript() throws IOException {
        Path frameworkDir = Path.of(System.getProperty("java.io.tmpdir"), "kc-test-framework", "keycloak");
        try (Stream<Path> dists = Files.list(frameworkDir)) {
            return dists.map(d -> d.resolve("bin/kcadm.sh")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kcadm.sh under " + frameworkDir));
        }
    }
}
