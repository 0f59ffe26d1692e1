package io.phoneotp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real Keycloak distribution with the provider jar in providers/, started with {@code kc.sh start-dev}
 * on 127.0.0.1. Its console output goes to target/keycloak-server.log and is read for the codes of the
 * {@code log} delivery: the LogSender writes the realm, the masked number (last two digits) and the text,
 * whose last line ends in {@code #code}.
 */
final class KeycloakProcess implements AutoCloseable {

    private static final Pattern LOG_SMS = Pattern.compile("phone-otp 'log' delivery.*realm=(\\S+) SMS to (\\S+) \\(");
    private static final Pattern CODE_LINE = Pattern.compile("#(\\d+)\\s*$");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");

    private final Config config;
    private final CodeBox codes;
    private Process process;
    private Thread reader;
    private final Path jfrFile;
    private final Path logFile;

    KeycloakProcess(Config config, CodeBox codes) {
        this.config = config;
        this.codes = codes;
        this.jfrFile = config.target().resolve("keycloak.jfr").toAbsolutePath();
        this.logFile = config.target().resolve("keycloak-server.log").toAbsolutePath();
    }

    Path jfrFile() {
        return jfrFile;
    }

    /** The key under which a code of the log delivery is filed: realm and the last two digits of the number. */
    static String logKey(String realm, String lastTwoDigits) {
        return "log:" + realm + ":" + lastTwoDigits;
    }

    void start(String twilioBaseUrl) throws Exception {
        Path home = config.keycloakDist().toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home);
        }
        if (portTaken(config.port())) {
            throw new IllegalStateException("port " + config.port() + " is already taken: is another Keycloak running? (run the benchmark under the lock, see README)");
        }
        Path providers = home.resolve("providers");
        Files.createDirectories(providers);
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("keycloak-phone-otp")).toList()) {
                Files.delete(p);
            }
        }
        Files.copy(config.providerJar(), providers.resolve(config.providerJar().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        // a fresh server: no realm, build state or database from an earlier run
        deleteTree(home.resolve("data"));

        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + config.port(), "--db=dev-mem",
                "--spi-phone-otp-sender--twilio--api-base-url=" + twilioBaseUrl,
                // start-dev turns theme caching off (templates parsed on every page); production has it on
                "--spi-theme--cache-themes=true", "--spi-theme--cache-templates=true", "--spi-theme--static-max-age=2592000"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        if (config.profile()) {
            Files.deleteIfExists(jfrFile);
            env.put("JAVA_OPTS_APPEND", "-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true"
                    + " -XX:FlightRecorderOptions=stackdepth=256");
        }
        System.out.println("[bench] starting Keycloak: " + String.join(" ", command) + (config.profile() ? "  (with JFR)" : ""));
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-keycloak"));
        reader = new Thread(this::readLog, "keycloak-log");
        reader.setDaemon(true);
        reader.start();
        awaitReady();
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " while starting; see " + logFile);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(config.server() + "/realms/master")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    System.out.printf("[bench] Keycloak ready after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // starting
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("Keycloak did not answer within 300 s; see " + logFile);
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile), false)) {
            String pendingKey = null;
            int linesSince = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                if (!in.ready()) {
                    out.flush(); // written out whenever the server pauses, not line by line
                }
                if (pendingKey == null && !line.contains("'log' delivery")) {
                    continue; // the cheap test first: the reader shares the machine with the server it measures
                }
                String plain = line.indexOf('\u001B') < 0 ? line : ANSI.matcher(line).replaceAll("");
                Matcher sms = LOG_SMS.matcher(plain);
                if (sms.find()) {
                    String masked = sms.group(2);
                    String digits = masked.replaceAll("\\D", "");
                    pendingKey = logKey(sms.group(1), digits.substring(Math.max(0, digits.length() - 2)));
                    linesSince = 0;
                    continue;
                }
                if (pendingKey != null) {
                    Matcher code = CODE_LINE.matcher(plain);
                    if (code.find()) {
                        codes.put(pendingKey, code.group(1));
                        pendingKey = null;
                    } else if (++linesSince > 10) {
                        pendingKey = null;
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Stops the Keycloak this benchmark started (and only it): SIGTERM, so JFR writes its recording, then forcibly. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        if (p.isAlive()) {
            System.out.println("[bench] stopping Keycloak (pid " + p.pid() + ")");
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                for (ProcessHandle child : children) {
                    child.onExit().get(60, TimeUnit.SECONDS);
                }
                p.waitFor(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // forcibly below
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** CPU time Keycloak's processes (the script and the JVM it starts) have used so far; 0 once stopped. */
    long cpuNanos() {
        Process p = process;
        if (p == null) {
            return 0;
        }
        return java.util.stream.Stream.concat(Stream.of(p.toHandle()), p.descendants())
                .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean portTaken(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
