package io.phoneotp.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoneotp.keycloak.delivery.PhoneOtpSenderSpi;
import io.phoneotp.keycloak.delivery.twilio.TwilioSenderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.provider.ProviderConfigProperty;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker/Dockerfile and docker/compose.yaml, checked without a Docker engine: two real linters (dockerfilelint and
 * dclint, which validates against the Compose specification's JSON schema; both from npm, pinned in docker/lint),
 * and what only this project knows: pinned images, the jar and every mounted file, the demo realm, and every
 * Keycloak option checked against the Keycloak distribution the pom pins.
 */
class DockerFilesTest {

    private static final Path ROOT = Paths.get("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Path LINT = DOCKER.resolve("lint");
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    /** Flags of the {@code start} command itself, not server options (see {@code kc.sh start --help}). */
    private static final Set<String> START_FLAGS = Set.of("optimized", "import-realm", "verbose");
    private static final String IMAGE = "keycloak-phone-otp:local";

    private static List<String> dockerfile;
    private static Map<String, Object> compose;
    private static String pom;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        pom = Files.readString(ROOT.resolve("pom.xml"));
    }

    // ---- the linters ----

    @Test
    void dockerfilelintFindsNothing() throws Exception {
        lint("dockerfilelint", "docker/Dockerfile");
    }

    @Test
    void dclintFindsNothingAndTheComposeSchemaAccepts() throws Exception {
        lint("dclint", "--config", "docker/lint/.dclintrc", "--color=false", "--max-warnings", "0", "docker/compose.yaml");
    }

    private static void lint(String tool, String... args) throws Exception {
        Path bin = LINT.resolve("node_modules/.bin").resolve(tool);
        if (!Files.isExecutable(bin)) {
            String message = tool + " is not installed: run `npm ci --prefix docker/lint` (Node 20.19 or newer; .ci/run does)";
            if (CI) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        List<String> command = new ArrayList<>(List.of(bin.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " finished");
        assertEquals(0, process.exitValue(), tool + " " + String.join(" ", args) + ":\n" + output);
    }

    // ---- the Dockerfile ----

    @Test
    void theImageIsBuiltFromTheKeycloakVersionThePomPins() {
        String version = pomProperty("keycloak.version");
        List<String> froms = instructions("FROM");
        assertEquals(List.of("quay.io/keycloak/keycloak:" + version + " AS builder", "quay.io/keycloak/keycloak:" + version), froms);
        assertEquals(List.of("[\"/opt/keycloak/bin/kc.sh\"]"), instructions("ENTRYPOINT"));
        assertEquals(List.of("[\"start\", \"--optimized\"]"), instructions("CMD"));
        assertEquals(List.of("--from=builder /opt/keycloak/ /opt/keycloak/"), instructions("COPY").subList(1, 2));
    }

    @Test
    void theBuilderInstallsTheShadedJarAndBuildsWithPostgresHealthAndMetrics() throws IOException {
        Map<String, String> env = builderEnv();
        assertEquals("postgres", env.get("KC_DB"));
        assertEquals("true", env.get("KC_HEALTH_ENABLED"));
        assertEquals("true", env.get("KC_METRICS_ENABLED"));
        assertEquals("file", env.get("KC_VAULT"), "the file vault compose mounts");
        assertTrue(instructions("RUN").contains("/opt/keycloak/bin/kc.sh build"), "kc.sh build in the builder stage");

        String copy = instructions("COPY").get(0);
        String jarGlob = "target/" + pomArtifactId() + "-*.jar";
        assertEquals("--chown=keycloak:keycloak " + jarGlob + " /opt/keycloak/providers/", copy);
        // The shaded jar is target/<artifactId>-<version>.jar; the glob must not catch the shade plugin's original-*.jar.
        assertTrue(glob(jarGlob).matches(Paths.get("target/" + pomArtifactId() + "-" + pomVersion() + ".jar")));
        assertFalse(glob(jarGlob).matches(Paths.get("target/original-" + pomArtifactId() + "-" + pomVersion() + ".jar")));
        // The build context (repository root) sends that jar and nothing else.
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toList());
        assertEquals(List.of("*", "!" + jarGlob), ignore);
        Path jar = ROOT.resolve("target/" + pomArtifactId() + "-" + pomVersion() + ".jar");
        if (Files.exists(jar)) { // after `package`: the jar is the shaded one (libraries relocated inside)
            assertTrue(Files.size(jar) > 1_000_000, "the shaded jar, not the bare classes: " + Files.size(jar));
        }
    }

    // ---- compose ----

    @Test
    void everyImageIsPinnedToAVersion() {
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            String image = (String) service.getValue().get("image");
            assertNotNull(image, service.getKey() + " names its image");
            if (service.getValue().containsKey("build")) {
                assertEquals(IMAGE, image, service.getKey() + ": the image built from docker/Dockerfile");
                continue;
            }
            assertTrue(image.matches("[a-z0-9./-]+:\\d+(\\.\\d+)+(-[a-z0-9.]+)?"), service.getKey() + ": pinned to a version: " + image);
        }
    }

    @Test
    void everyFileComposeReferencesExists() {
        int mounts = 0;
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            Map<String, Object> build = map(service.getValue().get("build"));
            if (!build.isEmpty()) {
                Path context = DOCKER.resolve((String) build.get("context")).normalize();
                assertEquals(ROOT, context, "build context: the repository root (.dockerignore)");
                assertTrue(Files.isRegularFile(context.resolve((String) build.get("dockerfile"))), "the Dockerfile");
            }
            for (String volume : strings(service.getValue().get("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(DOCKER.resolve(source).normalize()), service.getKey() + " mounts " + source);
                    mounts++;
                } else {
                    assertTrue(map(compose.get("volumes")).containsKey(source), "named volume declared: " + source);
                }
            }
        }
        assertTrue(mounts >= 5, "bind mounts checked: " + mounts);
    }

    @Test
    void theFirstNodeImportsTheDemoRealmOfTheDemoProfileWithTheLogProvider() throws IOException {
        Map<String, Object> node = services().get("keycloak-1");
        assertTrue(strings(node.get("command")).contains("--import-realm"));
        assertTrue(strings(node.get("volumes")).contains("../src/demo/demo-realm.json:/opt/keycloak/data/import/demo-realm.json:ro"));
        assertTrue(pom.contains("<fileset dir=\"${project.basedir}/src/demo\"/>"), "the demo profile imports src/demo too");

        JsonNode realm = new ObjectMapper().readTree(ROOT.resolve("src/demo/demo-realm.json").toFile());
        assertEquals("demo", realm.path("realm").asText());
        JsonNode senders = realm.path("components").path("io.phoneotp.keycloak.delivery.PhoneOtpSender");
        assertEquals(2, senders.size(), "sms and voice");
        for (JsonNode sender : senders) {
            assertEquals("log", sender.path("providerId").asText(), "no Twilio account needed: " + sender);
        }
    }

    @Test
    void everyKeycloakSettingIsAnOptionOfThePinnedDistributionAndOnlyRunTimeOptionsComeAtStart(@TempDir Path work) throws Exception {
        String zip = System.getProperty("keycloak.dist.zip");
        assertNotNull(zip, "surefire passes keycloak.dist.zip (see pom.xml)");
        KeycloakDistOptions options = KeycloakDistOptions.load(Paths.get(zip), work);
        assertTrue(options.exists("hostname") && options.isBuildTime("db") && !options.isBuildTime("vault-dir"), "options read: " + options.size());

        TreeSet<String> problems = new TreeSet<>();
        for (Map.Entry<String, String> env : builderEnv().entrySet()) {
            String key = KeycloakDistOptions.keyOfEnv(env.getKey());
            if (!options.exists(key) || !options.isBuildTime(key)) {
                problems.add("Dockerfile builder " + env.getKey() + ": not a build-time option of Keycloak " + pomProperty("keycloak.version"));
            }
        }
        int checked = 0;
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            if (!IMAGE.equals(service.getValue().get("image"))) {
                continue;
            }
            List<String> command = strings(service.getValue().get("command"));
            assertEquals(List.of("start", "--optimized"), command.subList(0, 2), service.getKey() + ": production mode, optimized image");
            List<String> keys = new ArrayList<>();
            for (String arg : command.subList(2, command.size())) {
                assertTrue(arg.startsWith("--"), arg);
                String key = arg.substring(2).split("=", 2)[0];
                if (!START_FLAGS.contains(key)) {
                    keys.add(key);
                }
            }
            for (String name : map(service.getValue().get("environment")).keySet()) {
                assertTrue(name.startsWith("KC_"), service.getKey() + ": only Keycloak settings, not " + name);
                keys.add(KeycloakDistOptions.keyOfEnv(name));
            }
            for (String key : keys) {
                checked++;
                if (key.startsWith("spi-")) {
                    if (!ourSpiOption(key)) {
                        problems.add(service.getKey() + " " + key + ": not an option of this extension's SPI");
                    }
                } else if (!options.exists(key)) {
                    problems.add(service.getKey() + " " + key + ": no such option in Keycloak " + pomProperty("keycloak.version"));
                } else if (options.isBuildTime(key)) {
                    problems.add(service.getKey() + " " + key + ": a build-time option, set in the Dockerfile's builder (start --optimized)");
                }
            }
        }
        assertTrue(checked >= 16, "settings checked: " + checked);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void behindTheLoadBalancer() throws IOException {
        Map<String, Object> env = map(services().get("keycloak-1").get("environment"));
        assertEquals("xforwarded", env.get("KC_PROXY_HEADERS"));
        assertEquals("true", env.get("KC_HTTP_ENABLED"));
        assertEquals("${KC_HOSTNAME:-http://localhost:8080}", env.get("KC_HOSTNAME"), "the load balancer's address");
        assertEquals(env, map(services().get("keycloak-2").get("environment")), "both nodes configured alike");

        // Only the load balancer is published, on the port KC_HOSTNAME names, on the loopback interface.
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            if (!"haproxy".equals(service.getKey())) {
                assertFalse(service.getValue().containsKey("ports"), service.getKey() + " is reached through the load balancer only");
            }
        }
        assertEquals(List.of("127.0.0.1:8080:8080"), strings(services().get("haproxy").get("ports")));

        String haproxy = Files.readString(DOCKER.resolve("haproxy.cfg"));
        assertTrue(haproxy.contains("bind :8080"));
        assertTrue(haproxy.contains("http-check send meth GET uri /health/ready") && haproxy.contains("check port 9000"),
                "readiness from the management port");
        Matcher server = Pattern.compile("(?m)^\\s*server (\\S+) (\\S+):(\\d+)").matcher(haproxy);
        Set<String> backends = new TreeSet<>();
        while (server.find()) {
            assertEquals(server.group(1), server.group(2));
            assertEquals("8080", server.group(3), "Keycloak's HTTP port");
            backends.add(server.group(2));
        }
        assertEquals(Set.of("keycloak-1", "keycloak-2"), backends);
        assertTrue(services().keySet().containsAll(backends));
    }

    @Test
    void nodesReportReadinessFromTheManagementPort() {
        Map<String, Object> health = map(services().get("keycloak-1").get("healthcheck"));
        String test = String.join(" ", strings(health.get("test")));
        assertTrue(test.contains("/dev/tcp/127.0.0.1/9000") && test.contains("GET /health/ready"), test);
        assertEquals(health, map(services().get("keycloak-2").get("healthcheck")));
    }

    @Test
    void secretsComeFromTheEnvironmentOrTheVaultAndDefaultsAreMarkedDemoOnly() throws IOException {
        String text = Files.readString(DOCKER.resolve("compose.yaml"));
        assertTrue(text.contains("DEMO ONLY"), "the defaults are marked");
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            for (Map.Entry<String, Object> env : map(service.getValue().get("environment")).entrySet()) {
                if (env.getKey().matches(".*(PASSWORD|TOKEN|SECRET|SID).*")) {
                    assertTrue(String.valueOf(env.getValue()).matches("\\$\\{" + Pattern.quote(env.getKey().replace("POSTGRES_PASSWORD", "KC_DB_PASSWORD")) + ":-[^}]*}"),
                            service.getKey() + " " + env.getKey() + " comes from the environment: " + env.getValue());
                }
            }
        }
        assertFalse(text.matches("(?s).*(AC|SK)[0-9a-f]{32}.*"), "no Twilio SID or key in the file");
        // The vault folder holds no secret in the repository, and the setup script names the vault key only.
        assertEquals(List.of("!.gitignore", "!README.md", "*"), Files.readAllLines(DOCKER.resolve("vault/.gitignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).sorted().collect(Collectors.toList()));
        assertTrue(Files.readString(DOCKER.resolve("twilio-setup.sh")).contains("vault_ref='${vault.twilio-token}'"));
    }

    // ---- helpers ----

    private static boolean ourSpiOption(String key) {
        String prefix = "spi-" + PhoneOtpSenderSpi.NAME + "--" + TwilioSenderFactory.ID + "--";
        return key.startsWith(prefix) && new TwilioSenderFactory().getConfigMetadata().stream()
                .map(ProviderConfigProperty::getName).anyMatch(key.substring(prefix.length())::equals);
    }

    /** Arguments of every instruction of that name, in order (no line continuations except in ENV). */
    private static List<String> instructions(String name) {
        return String.join("\n", dockerfile).replace("\\\n", " ").lines()
                .map(String::strip)
                .filter(l -> l.startsWith(name + " "))
                .map(l -> l.substring(name.length() + 1).strip().replaceAll("\\s+", " "))
                .collect(Collectors.toList());
    }

    /** KEY=value pairs of the builder stage's ENV instructions. */
    private static Map<String, String> builderEnv() {
        String text = String.join("\n", dockerfile).replace("\\\n", " ");
        String builder = text.substring(0, text.indexOf("FROM", text.indexOf(" AS builder")));
        Map<String, String> env = new LinkedHashMap<>();
        builder.lines().map(String::strip).filter(l -> l.startsWith("ENV ")).forEach(l -> {
            for (String pair : l.substring(4).strip().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv[1]);
            }
        });
        return env;
    }

    private static java.nio.file.PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    private static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static String pomArtifactId() {
        return pomProperty("artifactId");
    }

    private static String pomVersion() {
        Matcher m = Pattern.compile("</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find());
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String) {
            return List.of((String) value);
        }
        return ((List<Object>) value).stream().map(String::valueOf).collect(Collectors.toList());
    }
}
