package io.phoneotp.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hottest methods of Keycloak's JFR recording ({@code jdk.ExecutionSample}, the JDK's own
 * {@code jdk.jfr.consumer} reader, as {@code jfr print --events jdk.ExecutionSample} shows them),
 * counted within the measured window only (not Keycloak's start or the setup).
 */
final class HotMethods {

    private static final String OURS = "io.phoneotp.";

    private HotMethods() {
    }

    static void print(Path jfr, Instant from, Instant to, int top) throws Exception {
        if (!Files.isRegularFile(jfr)) {
            System.out.println("[bench] no JFR recording at " + jfr + " (did Keycloak stop cleanly?)");
            return;
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> oursInnermost = new HashMap<>();
        Map<String, Integer> oursInclusive = new HashMap<>();
        int samples = 0;
        int withOurs = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName()) || e.getStackTrace() == null) {
                    continue;
                }
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                boolean innermostSeen = false;
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (n.startsWith(OURS)) {
                        if (!innermostSeen) {
                            oursInnermost.merge(n, 1, Integer::sum);
                            innermostSeen = true;
                        }
                        if (seen.add(n)) {
                            oursInclusive.merge(n, 1, Integer::sum);
                        }
                    }
                }
                if (innermostSeen) {
                    withOurs++;
                }
            }
        }
        System.out.printf("%nHOT METHODS (JFR %s, jdk.ExecutionSample within the measured rounds: %d samples)%n", jfr, samples);
        System.out.println("  by self samples (top frame):");
        table(self, samples, top);
        System.out.printf("  io.phoneotp: %d samples (%.1f%%) have an io.phoneotp frame on the stack (shaded libraries included)%n",
                withOurs, 100.0 * withOurs / Math.max(1, samples));
        System.out.println("  io.phoneotp, innermost io.phoneotp frame of each sample (its time and everything it called):");
        table(oursInnermost, samples, top);
        System.out.println("  io.phoneotp, inclusive (a method anywhere on the stack):");
        table(oursInclusive, samples, top);
        System.out.println("  (the same by hand: jfr print --events jdk.ExecutionSample --stack-depth 256 " + jfr + ")");
    }

    private static void table(Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(c -> System.out.printf("    %6d  %5.1f%%  %s%n", c.getValue(), 100.0 * c.getValue() / Math.max(1, samples), c.getKey()));
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }
}
