package dev.huddle.tools.bench;

import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Group {@code hub-start}: a hub's cold start on a fresh home and its restart on a home a previous hub used, each
 * until a control ping is answered, without and with the hub's AOT cache; and how much of the cold start the hub's
 * own main takes (its "ready in" log line).
 */
final class HubStartBench {
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");
    private static final long NATIVE_CACHE_WAIT_MS = 10_000;

    private final Lab lab;
    private final Path hubCache;

    HubStartBench(Lab lab, AotCaches caches) {
        this.lab = lab;
        this.hubCache = caches.get("hub");
    }

    void run() throws IOException {
        coldStarts();
        restarts();
    }

    private void coldStarts() throws IOException {
        BenchSizes sizes = lab.sizes;
        lab.progress.println("bench: hub cold start (fresh HUDDLE_HOME) -> control ping answered, " + sizes.hubStarts() + " runs per variant");
        List<Double> plain = new ArrayList<>();
        List<Double> aot = new ArrayList<>();
        List<Double> readyPlain = new ArrayList<>();
        List<Double> readyAot = new ArrayList<>();
        for (int i = -sizes.warmups(); i < sizes.hubStarts(); i++) {
            coldStart(null, i >= 0 ? plain : null, readyPlain);
            if (hubCache != null) coldStart(hubCache, i >= 0 ? aot : null, readyAot);
        }
        String how = "java " + String.join(" ", AotTrainer.flagsFor("hub")) + " -jar huddle.jar hub run; polls a control ping every 2 ms";
        lab.put(Figure.measured("hub_start_ms", "hub cold start -> ping answered, no AOT", "ms", Stats.of(plain), 600.0, how));
        lab.put(hubCache == null ? Figure.skipped("hub_start_aot_ms", "hub cold start -> ping answered, AOT", "ms", 350.0, "no AOT cache")
                : Figure.measured("hub_start_aot_ms", "hub cold start -> ping answered, AOT", "ms", Stats.of(aot), 350.0, how + " + -XX:AOTCache"));
        trimWarmups(readyPlain);
        trimWarmups(readyAot);
        lab.put(readyPlain.isEmpty() ? Figure.skipped("hub_ready_log_ms", "  of which in main (hub's own \"ready in\")", "ms", null, "no ready line")
                : Figure.measured("hub_ready_log_ms", "  of which in main (hub's own \"ready in\"), no AOT", "ms", Stats.of(readyPlain), null,
                "from the start of Hub.runLocked to accepting; the rest is JVM start, Main's dispatch and Hub.run's set-up (dirs, log, lock, config)"));
        lab.put(readyAot.isEmpty() ? Figure.skipped("hub_ready_log_aot_ms", "  of which in main, AOT", "ms", null, hubCache == null ? "no AOT cache" : "no ready line")
                : Figure.measured("hub_ready_log_aot_ms", "  of which in main (hub's own \"ready in\"), AOT", "ms", Stats.of(readyAot), null, null));
    }

    private void coldStart(Path cache, List<Double> out, List<Double> readyOut) throws IOException {
        Path home = ChildJava.shortTempDir("hb-");
        try {
            long t0 = System.nanoTime();
            PrivateHub hub = lab.startHub(home, cache);
            try (hub) {
                long t1 = hub.awaitReady(30_000, 2);
                if (out != null) out.add((t1 - t0) / 1e6);
            }
            Matcher m = READY.matcher(Files.readString(hub.log()));
            if (m.find()) readyOut.add(Double.parseDouble(m.group(1)));
        } finally {
            ChildJava.deleteTree(home);
        }
    }

    private void trimWarmups(List<Double> l) {
        for (int i = 0; i < lab.sizes.warmups() && !l.isEmpty(); i++) l.removeFirst();
    }

    /**
     * The usual start: the hub idled out (or was stopped) and a client starts it again on the same home, where the
     * database exists and the previous hub left its caches (sqlite's native library).
     */
    private void restarts() throws IOException {
        BenchSizes sizes = lab.sizes;
        lab.progress.println("bench: hub restart (existing HUDDLE_HOME) -> control ping answered, " + sizes.hubStarts() + " runs per variant");
        Path homePlain = ChildJava.shortTempDir("hb-");
        Path homeAot = ChildJava.shortTempDir("hb-");
        try {
            boolean nativeCached = prepareHome(homePlain, null) & prepareHome(homeAot, hubCache);
            List<Double> plain = new ArrayList<>();
            List<Double> aot = new ArrayList<>();
            for (int i = -sizes.warmups(); i < sizes.hubStarts(); i++) {
                restart(homePlain, null, i >= 0 ? plain : null);
                if (hubCache != null) restart(homeAot, hubCache, i >= 0 ? aot : null);
            }
            String how = "the same hub run on a home a previous hub used" + (nativeCached ? " (database and native-library cache present)"
                    : " (no native-library cache appeared in " + NATIVE_CACHE_WAIT_MS / 1000 + " s)");
            lab.put(Figure.measured("hub_restart_ms", "hub restart (existing HUDDLE_HOME) -> ping, no AOT", "ms", Stats.of(plain), null, how));
            lab.put(hubCache == null ? Figure.skipped("hub_restart_aot_ms", "hub restart (existing HUDDLE_HOME) -> ping, AOT", "ms", null, "no AOT cache")
                    : Figure.measured("hub_restart_aot_ms", "hub restart (existing HUDDLE_HOME) -> ping, AOT", "ms", Stats.of(aot), null, how));
        } finally {
            ChildJava.deleteTree(homePlain);
            ChildJava.deleteTree(homeAot);
        }
    }

    /** Runs a hub once on {@code home} and waits until it has cached what it caches (a file under native/). */
    private boolean prepareHome(Path home, Path cache) throws IOException {
        try (PrivateHub hub = lab.startHub(home, cache)) {
            hub.awaitReady(30_000, 10);
            long deadline = System.currentTimeMillis() + NATIVE_CACHE_WAIT_MS;
            while (System.currentTimeMillis() < deadline) {
                if (hasFileUnder(home.resolve("native"))) return true;
                Lab.sleep(100);
            }
            return false;
        }
    }

    private static boolean hasFileUnder(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(f -> Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".tmp"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void restart(Path home, Path cache, List<Double> out) throws IOException {
        long t0 = System.nanoTime();
        try (PrivateHub hub = lab.startHub(home, cache)) {
            long t1 = hub.awaitReady(30_000, 2);
            if (out != null) out.add((t1 - t0) / 1e6);
        }
    }
}
