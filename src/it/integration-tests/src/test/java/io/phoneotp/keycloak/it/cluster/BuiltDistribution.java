package io.phoneotp.keycloak.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Keycloak 26.7.3 distribution (unpacked by Maven into target/keycloak-dist) with exactly
 * the packaged provider jar in providers/, built for production once per test run:
 * {@code kc.sh build --db=postgres --health-enabled=true --metrics-enabled=true}.
 */
final class BuiltDistribution {

    static final String BUILD_OPTIONS = "--db=postgres --health-enabled=true --metrics-enabled=true";

    private static BuiltDistribution built;

    final Path home;
    /** The provider jar as the build produced it, and the copy in providers/. */
    final Path jar;
    final Path installedJar;
    /** What {@code kc.sh build} printed. */
    final List<String> buildOutput;

    private BuiltDistribution(Path home, Path jar, Path installedJar, List<String> buildOutput) {
        this.home = home;
        this.jar = jar;
        this.installedJar = installedJar;
        this.buildOutput = buildOutput;
    }

    static synchronized BuiltDistribution get() {
        if (built == null) {
            built = build();
        }
        return built;
    }

    private static BuiltDistribution build() {
        Path home = Path.of(System.getProperty("phone-otp.dist", "target/keycloak-dist/keycloak-26.7.3")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + " (the pom unpacks it at generate-test-resources)");
        }
        try {
            Path jar = providerJar();
            Path providers = home.resolve("providers");
            Files.createDirectories(providers);
            try (Stream<Path> old = Files.list(providers)) {
                for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                    Files.delete(p);
                }
            }
            Path installed = providers.resolve(jar.getFileName());
            Files.copy(jar, installed, StandardCopyOption.REPLACE_EXISTING);

            Path log = home.getParent().getParent().resolve("kc-build.log");
            Process build = new ProcessBuilder(List.of("bash", "-c", "exec bin/kc.sh build " + BUILD_OPTIONS))
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(5, TimeUnit.MINUTES)) {
                build.descendants().forEach(ProcessHandle::destroyForcibly);
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build did not finish within 5 minutes; see " + log);
            }
            List<String> output = Files.readAllLines(log);
            if (build.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build failed (" + build.exitValue() + "): " + String.join("\n", output));
            }
            return new BuiltDistribution(home, jar, installed, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The shaded jar: the parent build's target/keycloak-phone-otp-&lt;version&gt;.jar (system property
     * {@code phone-otp.jar}, set by the invoker), else this module's dependency on it, which is that jar installed.
     */
    private static Path providerJar() {
        String given = System.getProperty("phone-otp.jar", "");
        if (!given.isBlank()) {
            return Path.of(given).toAbsolutePath();
        }
        String name = "keycloak-phone-otp-" + System.getProperty("phone-otp.version") + ".jar";
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on the test class path"));
    }

    /** A copy of the built distribution for one cluster node: each node keeps its own data/ (transaction logs, temporary files). */
    Path copyFor(String node) {
        Path copy = home.getParent().getParent().resolve("nodes").resolve(node);
        try {
            run("rm", "-rf", copy.toString());
            Files.createDirectories(copy.getParent());
            run("cp", "-a", home.toString(), copy.toString());
            run("rm", "-rf", copy.resolve("data").toString()); // what the production-mode test's server left
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
