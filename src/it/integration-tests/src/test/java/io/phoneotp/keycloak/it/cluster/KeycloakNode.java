package io.phoneotp.keycloak.it.cluster;

import io.phoneotp.keycloak.it.FakeTwilio;
import io.phoneotp.keycloak.it.Poll;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Keycloak server of the built distribution in production mode ({@code kc.sh start --optimized}),
 * on PostgreSQL, plain HTTP on 127.0.0.1, with its own HTTP, management and cluster (JGroups) ports.
 * All its URLs are the front URL {@code http://localhost:8080}. Its console output goes to
 * target/nodes/&lt;name&gt;.log (appended across restarts); the lines of the current run are kept for the tests.
 */
final class KeycloakNode implements AutoCloseable {

    static final String FRONT_URL = "http://localhost:8080";
    /** Infinispan's cluster view: ISPN000094 (new view) or ISPN000093 (merged view), with the member count in brackets. */
    private static final Pattern VIEW = Pattern.compile("ISPN00009[34].*?\\|\\d+\\] \\((\\d+)\\)");

    final String name;
    final Path home;
    final int httpPort;
    final int managementPort;
    final int clusterPort;
    final Path logFile;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Thread reader;

    KeycloakNode(String name, Path home, int httpPort, int managementPort, int clusterPort) {
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.clusterPort = clusterPort;
        this.logFile = home.getParent().resolve(name + ".log");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-keycloak-" + name));
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the server and waits until it is ready (its management interface's /health/ready says UP). */
    synchronized KeycloakNode start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        for (int port : List.of(httpPort, managementPort, clusterPort)) {
            if (portTaken(port)) {
                throw new IllegalStateException(name + ": port " + port + " is taken: is another Keycloak running? (one test run per machine)");
            }
        }
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--hostname=" + FRONT_URL,
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-host=127.0.0.1", "--http-management-port=" + managementPort,
                "--db-url=" + Postgres.URL, "--db-username=" + Postgres.USER, "--db-password=" + Postgres.PASSWORD,
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + clusterPort,
                // the tests' clients speak for other client addresses through the front proxy (loopback only)
                "--proxy-headers=xforwarded", "--proxy-trusted-addresses=127.0.0.1,::1",
                "--spi-phone-otp-sender--twilio--api-base-url=" + FakeTwilio.BASE_URL,
                "--spi-phone-otp-sender--twilio--read-timeout-millis=2000");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", Cluster.ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", Cluster.ADMIN_PASSWORD);
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        lines.clear();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Process started = process;
        reader = new Thread(() -> pump(started), "keycloak-log-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            awaitReady(started);
        } catch (RuntimeException | AssertionError e) {
            stop(); // a server that did not come up is not left running
            throw e;
        }
        return this;
    }

    private void awaitReady(Process started) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        // every answer DOWN is an INFO line in the server's log: ask once a second
        Poll.until(Duration.ofSeconds(300), Duration.ofSeconds(1), name + " was not ready; see " + logFile, () -> {
            if (!started.isAlive()) {
                throw new IllegalStateException(name + " exited with " + started.exitValue() + " while starting; see " + logFile);
            }
            try {
                HttpResponse<String> answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
                return Optional.of(answer).filter(a -> a.statusCode() == 200 && a.body().contains("UP"));
            } catch (IOException e) {
                return Optional.empty(); // not listening yet, or starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until this node's latest cluster view has this many members. */
    void awaitClusterOf(int members) {
        Poll.until(Duration.ofSeconds(120), name + " does not see " + members + " cluster members; see " + logFile,
                () -> Optional.of(clusterSize()).filter(size -> size == members));
    }

    /** The member count of the latest cluster view this run of the node logged, 0 before the first. */
    int clusterSize() {
        int size = 0;
        for (String line : lines) {
            Matcher view = VIEW.matcher(line);
            if (view.find()) {
                size = Integer.parseInt(view.group(1));
            }
        }
        return size;
    }

    /** The console output of the current (or last) run. */
    List<String> log() {
        return new ArrayList<>(lines);
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops the server as an operator does (SIGTERM, which kc.sh passes to Java), forcibly after a minute. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
            reader.join(5000);
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        process = null;
    }

    /** {@code kill -9} of the server's Java process (not of the kc.sh shell around it): no shutdown at all. */
    synchronized void kill() {
        ProcessHandle java = process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException(name + ": no java process under kc.sh"));
        java.destroyForcibly();
        try {
            java.onExit().get(30, TimeUnit.SECONDS);
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(5000);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not die", e);
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void pump(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            out.println("==== " + name + " started: " + java.time.Instant.now());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static boolean portTaken(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
