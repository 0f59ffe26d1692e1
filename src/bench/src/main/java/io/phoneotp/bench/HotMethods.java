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

    /**
     * Where each variant's sign-in spends Keycloak's CPU against the reference's: the samples taken
     * while a variant's rounds ran, per successful sign-in of that variant, by method anywhere on the
     * stack (inclusive), and the methods whose share per sign-in grows most over the reference's.
     * Samples of Keycloak's own threads that serve no request (timers, log writers) are counted too:
     * they are part of what a sign-in costs.
     */
    static void differential(Path jfr, Map<Variant, List<Runner.Phase>> phases, Variant reference, int top) throws Exception {
        if (!Files.isRegularFile(jfr)) {
            return;
        }
        Map<Variant, Map<String, Integer>> inclusive = new java.util.EnumMap<>(Variant.class);
        Map<Variant, Integer> total = new java.util.EnumMap<>(Variant.class);
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName()) || e.getStackTrace() == null) {
                    continue;
                }
                Variant v = variantAt(phases, e.getStartTime());
                if (v == null) {
                    continue;
                }
                total.merge(v, 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    String n = name(f);
                    if (seen.add(n)) {
                        inclusive.computeIfAbsent(v, k -> new HashMap<>()).merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        Map<Variant, Integer> signIns = new java.util.EnumMap<>(Variant.class);
        phases.forEach((v, list) -> signIns.put(v, list.stream().mapToInt(Runner.Phase::ok).sum()));
        System.out.printf("%nDIFFERENTIAL PROFILE (JFR samples while a variant's rounds ran, per sign-in of that variant; a sample is about 10-20 ms of one thread's CPU)%n");
        for (Variant v : phases.keySet()) {
            System.out.printf("  (%s) %-40s %8.3f samples per sign-in (%d samples, %d sign-ins)%n", v.letter, v.label,
                    perSignIn(total.getOrDefault(v, 0), signIns.get(v)), total.getOrDefault(v, 0), signIns.get(v));
        }
        Map<String, Integer> ref = inclusive.getOrDefault(reference, Map.of());
        for (Variant v : phases.keySet()) {
            if (v == reference || !v.sms()) {
                continue;
            }
            Map<String, Integer> mine = inclusive.getOrDefault(v, Map.of());
            Set<String> names = new HashSet<>(mine.keySet());
            names.addAll(ref.keySet());
            System.out.printf("  (%s) against (%s), inclusive samples per sign-in, largest growth first: this variant, the reference, difference%n",
                    v.letter, reference.letter);
            names.stream()
                    .map(n -> Map.entry(n, new double[] {perSignIn(mine.getOrDefault(n, 0), signIns.get(v)),
                            perSignIn(ref.getOrDefault(n, 0), signIns.get(reference))}))
                    .sorted((a, b) -> Double.compare(b.getValue()[0] - b.getValue()[1], a.getValue()[0] - a.getValue()[1]))
                    .limit(top)
                    .forEach(e -> System.out.printf("    %7.3f %7.3f %+7.3f  %s%n", e.getValue()[0], e.getValue()[1],
                            e.getValue()[0] - e.getValue()[1], e.getKey()));
        }
    }

    private static Variant variantAt(Map<Variant, List<Runner.Phase>> phases, Instant t) {
        for (Map.Entry<Variant, List<Runner.Phase>> e : phases.entrySet()) {
            for (Runner.Phase p : e.getValue()) {
                if (p.from != null && !t.isBefore(p.from) && !t.isAfter(p.to)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private static double perSignIn(int samples, Integer signIns) {
        return signIns == null || signIns == 0 ? Double.NaN : (double) samples / signIns;
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
