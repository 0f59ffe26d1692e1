package io.phoneotp.bench;

import java.nio.file.Path;

/** The benchmark's settings, from system properties (an empty value means the default). */
record Config(Path keycloakDist, Path target, Path providerJar, boolean quick, boolean profile, int rounds, int roundSeconds,
              int warmupSeconds, int slowSeconds, int threads, int slowInFlight, int port) {

    static Config fromSystemProperties() {
        boolean quick = flag("bench.quick");
        String jar = text("bench.jar", "");
        if (jar.isEmpty()) {
            throw new IllegalArgumentException("-Dbench.jar=<the shaded provider jar> is required (mvn -Pbench verify at the top level sets it)");
        }
        return new Config(Path.of(text("bench.keycloakDist", "")), Path.of(text("bench.target", "target")), Path.of(jar), quick,
                flag("bench.profile"),
                number("bench.rounds", quick ? 2 : 5),
                number("bench.roundSeconds", quick ? 5 : 9),
                number("bench.warmupSeconds", quick ? 4 : 15),
                number("bench.slowSeconds", quick ? 6 : 12),
                number("bench.threads", 6),
                number("bench.slowInFlight", 50),
                number("bench.port", 8080));
    }

    private static String text(String name, String fallback) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? fallback : value;
    }

    private static boolean flag(String name) {
        String value = System.getProperty(name, "").trim();
        // -Dbench.quick alone arrives as "true" on the Maven command line, and as "" when not given
        return value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes");
    }

    private static int number(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    String server() {
        return "http://127.0.0.1:" + port;
    }
}
