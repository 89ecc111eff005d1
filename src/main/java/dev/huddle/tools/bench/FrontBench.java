package dev.huddle.tools.bench;

import dev.huddle.protocol.Settings;
import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.aot.StdioChild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group {@code front}: how long a front takes from launch to {@code initialize} answered (a warm hub), plainly, with
 * its AOT cache, and through the {@code ./huddle} launcher in an installed layout; and its RSS after one tool call.
 */
final class FrontBench {
    private record FrontRun(double initMs, double rssMb) {}

    private final Lab lab;
    private final AotCaches caches;
    private final Path aotDir;
    private final Path launcher;
    private final boolean train;

    FrontBench(Lab lab, AotCaches caches, Path aotDir, Path launcher, boolean train) {
        this.lab = lab;
        this.caches = caches;
        this.aotDir = aotDir;
        this.launcher = launcher;
        this.train = train;
    }

    void run() throws IOException {
        BenchSizes sizes = lab.sizes;
        lab.progress.println("bench: front launch -> initialize answered (warm hub), " + sizes.frontLaunches() + " runs per variant");
        Path home = Files.createDirectory(lab.root.resolve("w"));
        Path project = lab.project("p");
        try (PrivateHub hub = lab.startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            Path frontCache = caches.get("front");
            List<String> plain = lab.frontCommand(null);
            List<String> aot = frontCache == null ? null : lab.frontCommand(frontCache);
            List<String> viaLauncher = launcherProblem() == null ? List.of(installedLauncher().toString(), "mcp") : null;

            Map<String, String> env = ChildJava.cleanEnv(home, lab.jar);
            Map<String, String> launcherPlainEnv = new LinkedHashMap<>(env);
            launcherPlainEnv.put(Settings.JAVA_HOME.env(), System.getProperty("java.home"));
            launcherPlainEnv.put(Settings.AOT_DIR.env(), aotDir.toString());
            Map<String, String> launcherAotEnv = new LinkedHashMap<>(launcherPlainEnv);
            launcherAotEnv.remove(Settings.AOT.env());

            Map<String, List<FrontRun>> runs = new LinkedHashMap<>();
            for (String v : List.of("plain", "aot", "launcher", "launcher_aot")) runs.put(v, new ArrayList<>());
            for (int i = -sizes.warmups(); i < sizes.frontLaunches(); i++) {
                // Interleaved, so drift (page cache, other load) hits every variant alike.
                measure(runs.get("plain"), plain, env, project, i >= 0);
                if (aot != null) measure(runs.get("aot"), aot, env, project, i >= 0);
                if (viaLauncher != null) {
                    measure(runs.get("launcher"), viaLauncher, launcherPlainEnv, project, i >= 0);
                    if (frontCache != null) measure(runs.get("launcher_aot"), viaLauncher, launcherAotEnv, project, i >= 0);
                }
            }
            String noAot = "no AOT cache (" + (train ? "training failed" : "--no-train") + ")";
            String how = "java " + String.join(" ", AotTrainer.flagsFor("front")) + " -jar huddle.jar mcp";
            lab.put(initFigure("front_init_ms", "front launch -> initialize answered, no AOT", runs.get("plain"), 120.0, how));
            lab.put(frontCache == null ? Figure.skipped("front_init_aot_ms", "front launch -> initialize answered, AOT", "ms", 80.0, noAot)
                    : initFigure("front_init_aot_ms", "front launch -> initialize answered, AOT", runs.get("aot"), 80.0, how + " + -XX:AOTCache"));
            String lp = launcherProblem();
            lab.put(lp != null ? Figure.skipped("front_init_launcher_ms", "same through ./huddle mcp, no AOT", "ms", 120.0, lp)
                    : initFigure("front_init_launcher_ms", "same through ./huddle mcp, no AOT", runs.get("launcher"), 120.0,
                    "HUDDLE_AOT=off huddle mcp: a copy of " + launcher + " in an installed layout (sh, find the JDK and jar, exec java)"));
            lab.put(lp != null || frontCache == null
                    ? Figure.skipped("front_init_launcher_aot_ms", "same through ./huddle mcp, AOT", "ms", 80.0, lp != null ? lp : noAot)
                    : initFigure("front_init_launcher_aot_ms", "same through ./huddle mcp, AOT", runs.get("launcher_aot"), 80.0,
                    "huddle mcp, installed layout; the launcher finds the cache itself"));
            lab.put(rssFigure("front_rss_mb", "front RSS after initialize + 1 tool call, no AOT", runs.get("plain"), 48.0));
            lab.put(frontCache == null ? Figure.skipped("front_rss_aot_mb", "front RSS after initialize + 1 tool call, AOT", "MB", 48.0, noAot)
                    : rssFigure("front_rss_aot_mb", "front RSS after initialize + 1 tool call, AOT", runs.get("aot"), 48.0));
        }
    }

    /** One front: launch, initialize (timed), initialized, one tool call, RSS, then EOF. */
    private void measure(List<FrontRun> out, List<String> cmd, Map<String, String> env, Path cwd, boolean record) throws IOException {
        ProcessBuilder pb = ChildJava.builder(cmd, env).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(lab.frontErr.toFile()));
        long t0 = System.nanoTime();
        StdioChild front = new StdioChild(lab.track(pb.start()));
        try (front) {
            front.send(JsonRpc.INITIALIZE);
            Map<String, Object> init = front.awaitResponse(1, 20_000);
            long t1 = System.nanoTime();
            if (!init.containsKey("result")) throw new IOException("initialize failed: " + init);
            front.send(JsonRpc.INITIALIZED);
            front.send(JsonRpc.toolCall(2, "list_project_sessions", "{}"));
            Map<String, Object> r = front.awaitResponse(2, 20_000);
            if (!r.containsKey("result")) throw new IOException("tools/call failed: " + r);
            // The JVM of a front: the process itself, or (through the launcher, which execs) the same pid.
            double rss = Procfs.rssKb(front.pid()) / 1024.0;
            if (record) out.add(new FrontRun((t1 - t0) / 1e6, rss));
            front.finish(10_000);
        }
    }

    private static Figure initFigure(String id, String label, List<FrontRun> runs, Double target, String note) {
        return Figure.measured(id, label, "ms", Stats.of(runs.stream().map(FrontRun::initMs).toList()), target, note);
    }

    private static Figure rssFigure(String id, String label, List<FrontRun> runs, Double target) {
        if (!Procfs.available()) return Figure.skipped(id, label, "MB", target, "needs /proc (Linux)");
        return Figure.measured(id, label, "MB", Stats.of(runs.stream().map(FrontRun::rssMb).toList()), target,
                "VmRSS from /proc/<pid>/status");
    }

    /** Why the launcher cannot be measured, or null. */
    private String launcherProblem() {
        if (launcher == null) return "no launcher (pass --launcher PATH)";
        if (!Files.isRegularFile(launcher)) return launcher + " does not exist";
        return null;
    }

    /**
     * The launcher as installed (not as a source checkout, where it would rebuild the jar whenever someone edits
     * a source file, and run a staleness check on every start): a copy of the script with {@code lib} pointing at
     * the jar's directory, so it runs this very jar and finds its AOT caches.
     */
    private Path installedLauncher() throws IOException {
        Path dir = Files.createDirectories(lab.root.resolve("inst"));
        Path script = dir.resolve("huddle");
        if (!Files.exists(script)) {
            Files.copy(launcher, script);
            script.toFile().setExecutable(true, true);
            Files.createSymbolicLink(dir.resolve("lib"), lab.jar.getParent());
        }
        return script;
    }
}
