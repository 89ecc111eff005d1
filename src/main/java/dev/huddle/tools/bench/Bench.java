package dev.huddle.tools.bench;

import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.aot.StdioChild;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Process-level benchmarks of huddle on this machine: what an agent and a user actually wait for. Every process
 * is started the way production starts it (same java, same flags, {@code -jar}); hubs run on private homes under
 * /tmp; nothing is left running afterwards.
 */
public final class Bench {
    /** Sample sizes. */
    public record Sizes(int frontLaunches, int hubStarts, int rawFronts, int realFronts, int listAgents, int listCalls,
                        int warmups) {
        static final Sizes FULL = new Sizes(20, 10, 100, 20, 50, 200, 2);
        static final Sizes QUICK = new Sizes(3, 2, 100, 3, 50, 20, 1);
    }

    static final String FRONT_INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"huddle-bench\",\"version\":\"1\"}}}";
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");

    private final String java;
    private final Path jar;
    private final Path aotDir;
    private final Path launcher;
    private final Sizes sizes;
    private final boolean train;
    private final PrintStream progress;
    private final List<Process> spawned = new ArrayList<>();
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private Path root;
    private List<String> only = List.of();
    private String loadAtStart;
    private Path frontErr;
    private double soakMinutes = 10;
    private int soakAgents = SoakBench.DEFAULT_AGENTS;

    public Bench(String java, Path jar, Path aotDir, Path launcher, boolean quick, boolean train, PrintStream progress) {
        this.java = java;
        this.jar = jar.toAbsolutePath();
        this.aotDir = aotDir.toAbsolutePath();
        this.launcher = launcher;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.train = train;
        this.progress = progress;
    }

    /** Benchmark groups, for {@link #only}. */
    public static final List<String> GROUPS = List.of("front", "hub-start", "hub-memory", "list", "messaging", "hooks", "wake", "read", "watch",
            "web", "soak");
    /** Groups that run only when named with --only (they take minutes). */
    static final List<String> OPT_IN = List.of("soak");

    /** Runs only these groups (all when empty). */
    public Bench only(List<String> groups) {
        for (String g : groups) {
            if (!GROUPS.contains(g)) throw new IllegalArgumentException("unknown benchmark group '" + g + "'; groups: " + GROUPS);
        }
        this.only = List.copyOf(groups);
        return this;
    }

    private boolean selected(String group) {
        return only.contains(group) || only.isEmpty() && !OPT_IN.contains(group);
    }

    /** The soak's length and size (group soak). */
    public Bench soak(double minutes, int agents) {
        if (!(minutes > 0) || agents < 2) throw new IllegalArgumentException("the soak needs a positive duration and at least 2 agents");
        this.soakMinutes = minutes;
        this.soakAgents = agents;
        return this;
    }

    /** Runs every benchmark; returns the report (see {@link #toJson}). */
    public Map<String, Object> run() throws IOException {
        loadAtStart = loadavg();
        Thread cleanup = new Thread(this::killAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        root = ChildJava.shortTempDir("huddle-bench-");
        frontErr = root.resolve("fronts.err");
        try {
            Map<String, Path> caches = ensureCaches();
            if (selected("front")) frontLaunch(caches);
            if (selected("hub-start")) {
                hubColdStart(caches);
                hubRestart(caches);
            }
            if (selected("hub-memory")) hubMemory(caches);
            if (selected("list")) listRoundTrip(caches);
            if (selected("messaging")) messaging(caches);
            if (selected("hooks")) hooks(caches);
            if (selected("wake")) wake(caches);
            if (selected("read")) read(caches);
            if (selected("watch")) watch(caches);
            if (selected("web")) web(caches);
            if (selected("soak")) soak(caches);
        } finally {
            killAll();
            ChildJava.deleteTree(root);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        return toJson();
    }

    // ---- AOT caches ------------------------------------------------------------------------------------------

    private Map<String, Path> ensureCaches() throws IOException {
        Map<String, Path> caches = new LinkedHashMap<>();
        AotTrainer trainer = new AotTrainer(java, jar, aotDir, false, progress);
        boolean missing = false;
        for (String role : AotTrainer.ROLES) {
            Path f = trainer.cacheFile(role);
            if (Files.isRegularFile(f) && Files.size(f) > 0) caches.put(role, f);
            else missing = true;
        }
        Map<String, Object> aot = new LinkedHashMap<>();
        aot.put("dir", aotDir.toString());
        if (missing && train) {
            progress.println("bench: AOT caches missing: training them first (huddle internal aot-train)");
            long t0 = System.nanoTime();
            AotTrainer.Outcome outcome = trainer.run();
            long deadline = System.currentTimeMillis() + 300_000;
            while (outcome == AotTrainer.Outcome.BUSY && System.currentTimeMillis() < deadline) {
                sleep(1000); // someone else (a hub's background training) is at it: wait for them
                outcome = trainer.run();
            }
            aot.put("trained_now", outcome.toString().toLowerCase());
            aot.put("training_ms", (System.nanoTime() - t0) / 1_000_000);
            for (String role : AotTrainer.ROLES) {
                Path f = trainer.cacheFile(role);
                if (Files.isRegularFile(f) && Files.size(f) > 0) caches.put(role, f);
            }
        }
        for (String role : AotTrainer.ROLES) {
            Path f = caches.get(role);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", f == null ? null : f.getFileName().toString());
            r.put("size_mb", f == null ? null : Files.size(f) >> 20);
            r.put("used", f == null ? null : cacheIsUsed(role, f));
            aot.put(role, r);
        }
        extra.put("aot", aot);
        return caches;
    }

    /** Starts {@code huddle version} with the role's flags, the cache and {@code -Xlog:aot}; true when the cache was mapped and used. */
    private boolean cacheIsUsed(String role, Path cache) {
        List<String> flags = new ArrayList<>(AotTrainer.flagsFor(role));
        flags.add("-XX:AOTCache=" + cache);
        flags.add("-Xlog:aot=info:stderr");
        try {
            Process p = ChildJava.builder(ChildJava.command(java, flags, jar, List.of("version")), ChildJava.cleanEnv(root, jar))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ChildJava.waitOrKill(p, 30_000);
            boolean used = out.contains("Using AOT-linked classes: true") && !out.contains("[error][aot");
            if (!used) progress.println("bench: the " + role + " AOT cache was NOT used:\n" + out.lines().limit(10).reduce("", (a, b) -> a + "  " + b + "\n"));
            return used;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- 1. front launch -> initialize answered, front RSS --------------------------------------------------

    private record FrontRun(double initMs, double rssMb) {}

    private void frontLaunch(Map<String, Path> caches) throws IOException {
        progress.println("bench: front launch -> initialize answered (warm hub), " + sizes.frontLaunches() + " runs per variant");
        Path home = Files.createDirectory(root.resolve("w"));
        Path project = project("p");
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            Path frontCache = caches.get("front");
            List<String> plain = frontCommand(null);
            List<String> aot = frontCache == null ? null : frontCommand(frontCache);
            List<String> viaLauncher = launcherProblem() == null ? List.of(installedLauncher().toString(), "mcp") : null;

            Map<String, String> env = ChildJava.cleanEnv(home, jar);
            Map<String, String> launcherPlainEnv = new LinkedHashMap<>(env);
            launcherPlainEnv.put("HUDDLE_JAVA_HOME", System.getProperty("java.home"));
            launcherPlainEnv.put("HUDDLE_AOT_DIR", aotDir.toString());
            Map<String, String> launcherAotEnv = new LinkedHashMap<>(launcherPlainEnv);
            launcherAotEnv.remove("HUDDLE_AOT");

            Map<String, List<FrontRun>> runs = new LinkedHashMap<>();
            for (String v : List.of("plain", "aot", "launcher", "launcher_aot")) runs.put(v, new ArrayList<>());
            for (int i = -sizes.warmups(); i < sizes.frontLaunches(); i++) {
                // Interleaved, so drift (page cache, other load) hits every variant alike.
                measureFront(runs.get("plain"), plain, env, project, i >= 0);
                if (aot != null) measureFront(runs.get("aot"), aot, env, project, i >= 0);
                if (viaLauncher != null) {
                    measureFront(runs.get("launcher"), viaLauncher, launcherPlainEnv, project, i >= 0);
                    if (frontCache != null) measureFront(runs.get("launcher_aot"), viaLauncher, launcherAotEnv, project, i >= 0);
                }
            }
            String noAot = "no AOT cache (" + (train ? "training failed" : "--no-train") + ")";
            String how = "java " + String.join(" ", AotTrainer.flagsFor("front")) + " -jar huddle.jar mcp";
            put(initFigure("front_init_ms", "front launch -> initialize answered, no AOT", runs.get("plain"), 120.0, how));
            put(frontCache == null ? Figure.skipped("front_init_aot_ms", "front launch -> initialize answered, AOT", "ms", 80.0, noAot)
                    : initFigure("front_init_aot_ms", "front launch -> initialize answered, AOT", runs.get("aot"), 80.0, how + " + -XX:AOTCache"));
            String lp = launcherProblem();
            put(lp != null ? Figure.skipped("front_init_launcher_ms", "same through ./huddle mcp, no AOT", "ms", 120.0, lp)
                    : initFigure("front_init_launcher_ms", "same through ./huddle mcp, no AOT", runs.get("launcher"), 120.0,
                    "HUDDLE_AOT=off huddle mcp: a copy of " + launcher + " in an installed layout (sh, find the JDK and jar, exec java)"));
            put(lp != null || frontCache == null
                    ? Figure.skipped("front_init_launcher_aot_ms", "same through ./huddle mcp, AOT", "ms", 80.0, lp != null ? lp : noAot)
                    : initFigure("front_init_launcher_aot_ms", "same through ./huddle mcp, AOT", runs.get("launcher_aot"), 80.0,
                    "huddle mcp, installed layout; the launcher finds the cache itself"));
            put(rssFigure("front_rss_mb", "front RSS after initialize + 1 tool call, no AOT", runs.get("plain"), 48.0));
            put(frontCache == null ? Figure.skipped("front_rss_aot_mb", "front RSS after initialize + 1 tool call, AOT", "MB", 48.0, noAot)
                    : rssFigure("front_rss_aot_mb", "front RSS after initialize + 1 tool call, AOT", runs.get("aot"), 48.0));
        }
    }

    private List<String> frontCommand(Path cache) {
        List<String> flags = new ArrayList<>(AotTrainer.flagsFor("front"));
        if (cache != null) flags.add("-XX:AOTCache=" + cache);
        return ChildJava.command(java, flags, jar, List.of("mcp"));
    }

    /** One front: launch, initialize (timed), initialized, one tool call, RSS, then EOF. */
    private void measureFront(List<FrontRun> out, List<String> cmd, Map<String, String> env, Path cwd, boolean record) throws IOException {
        ProcessBuilder pb = ChildJava.builder(cmd, env).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(frontErr.toFile()));
        long t0 = System.nanoTime();
        StdioChild front = new StdioChild(track(pb.start()));
        try (front) {
            front.send(FRONT_INIT);
            Map<String, Object> init = front.awaitResponse(1, 20_000);
            long t1 = System.nanoTime();
            if (!init.containsKey("result")) throw new IOException("initialize failed: " + init);
            front.send(INITIALIZED);
            front.send(call(2, "list_project_sessions", "{}"));
            Map<String, Object> r = front.awaitResponse(2, 20_000);
            if (!r.containsKey("result")) throw new IOException("tools/call failed: " + r);
            long javaPid = javaPid(front.process());
            double rss = Procfs.rssKb(javaPid) / 1024.0;
            if (record) out.add(new FrontRun((t1 - t0) / 1e6, rss));
            front.finish(10_000);
        }
    }

    /** The JVM of a front: the process itself, or (through the launcher, which execs) the same pid. */
    private static long javaPid(Process p) {
        return p.pid();
    }

    private static String call(int id, String tool, String args) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}";
    }

    private Figure initFigure(String id, String label, List<FrontRun> runs, Double target, String note) {
        return Figure.measured(id, label, "ms", Stats.of(runs.stream().map(FrontRun::initMs).toList()), target, note);
    }

    private Figure rssFigure(String id, String label, List<FrontRun> runs, Double target) {
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
        Path dir = Files.createDirectories(root.resolve("inst"));
        Path script = dir.resolve("huddle");
        if (!Files.exists(script)) {
            Files.copy(launcher, script);
            script.toFile().setExecutable(true, true);
            Files.createSymbolicLink(dir.resolve("lib"), jar.getParent());
        }
        return script;
    }

    // ---- 2. hub cold start --------------------------------------------------------------------------------

    private void hubColdStart(Map<String, Path> caches) throws IOException {
        progress.println("bench: hub cold start (fresh HUDDLE_HOME) -> control ping answered, " + sizes.hubStarts() + " runs per variant");
        Path hubCache = caches.get("hub");
        List<Double> plain = new ArrayList<>();
        List<Double> aot = new ArrayList<>();
        List<Double> readyPlain = new ArrayList<>();
        List<Double> readyAot = new ArrayList<>();
        for (int i = -sizes.warmups(); i < sizes.hubStarts(); i++) {
            coldStart(null, i >= 0 ? plain : null, readyPlain);
            if (hubCache != null) coldStart(hubCache, i >= 0 ? aot : null, readyAot);
        }
        String how = "java " + String.join(" ", AotTrainer.flagsFor("hub")) + " -jar huddle.jar hub run; polls a control ping every 2 ms";
        put(Figure.measured("hub_start_ms", "hub cold start -> ping answered, no AOT", "ms", Stats.of(plain), 600.0, how));
        put(hubCache == null ? Figure.skipped("hub_start_aot_ms", "hub cold start -> ping answered, AOT", "ms", 350.0, "no AOT cache")
                : Figure.measured("hub_start_aot_ms", "hub cold start -> ping answered, AOT", "ms", Stats.of(aot), 350.0, how + " + -XX:AOTCache"));
        trimWarmups(readyPlain);
        trimWarmups(readyAot);
        put(readyPlain.isEmpty() ? Figure.skipped("hub_ready_log_ms", "  of which in main (hub's own \"ready in\")", "ms", null, "no ready line")
                : Figure.measured("hub_ready_log_ms", "  of which in main (hub's own \"ready in\"), no AOT", "ms", Stats.of(readyPlain), null,
                "from the start of Hub.runLocked to accepting; the rest is JVM start, Main's dispatch and Hub.run's set-up (dirs, log, lock, config)"));
        put(readyAot.isEmpty() ? Figure.skipped("hub_ready_log_aot_ms", "  of which in main, AOT", "ms", null, hubCache == null ? "no AOT cache" : "no ready line")
                : Figure.measured("hub_ready_log_aot_ms", "  of which in main (hub's own \"ready in\"), AOT", "ms", Stats.of(readyAot), null, null));
    }

    /**
     * The usual start: the hub idled out (or was stopped) and a client starts it again on the same home, where the
     * database exists and the previous hub left its caches (sqlite's native library).
     */
    private void hubRestart(Map<String, Path> caches) throws IOException {
        progress.println("bench: hub restart (existing HUDDLE_HOME) -> control ping answered, " + sizes.hubStarts() + " runs per variant");
        Path hubCache = caches.get("hub");
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
            put(Figure.measured("hub_restart_ms", "hub restart (existing HUDDLE_HOME) -> ping, no AOT", "ms", Stats.of(plain), null, how));
            put(hubCache == null ? Figure.skipped("hub_restart_aot_ms", "hub restart (existing HUDDLE_HOME) -> ping, AOT", "ms", null, "no AOT cache")
                    : Figure.measured("hub_restart_aot_ms", "hub restart (existing HUDDLE_HOME) -> ping, AOT", "ms", Stats.of(aot), null, how));
        } finally {
            ChildJava.deleteTree(homePlain);
            ChildJava.deleteTree(homeAot);
        }
    }

    private static final long NATIVE_CACHE_WAIT_MS = 10_000;

    /** Runs a hub once on {@code home} and waits until it has cached what it caches (a file under native/). */
    private boolean prepareHome(Path home, Path cache) throws IOException {
        try (PrivateHub hub = startHub(home, cache)) {
            hub.awaitReady(30_000, 10);
            long deadline = System.currentTimeMillis() + NATIVE_CACHE_WAIT_MS;
            while (System.currentTimeMillis() < deadline) {
                if (hasFileUnder(home.resolve("native"))) return true;
                sleep(100);
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
        try (PrivateHub hub = startHub(home, cache)) {
            long t1 = hub.awaitReady(30_000, 2);
            if (out != null) out.add((t1 - t0) / 1e6);
        }
    }

    private void trimWarmups(List<Double> l) {
        for (int i = 0; i < sizes.warmups() && !l.isEmpty(); i++) l.removeFirst();
    }

    private void coldStart(Path cache, List<Double> out, List<Double> readyOut) throws IOException {
        Path home = ChildJava.shortTempDir("hb-");
        try {
            long t0 = System.nanoTime();
            PrivateHub hub = startHub(home, cache);
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

    // ---- 3. hub memory with many fronts ---------------------------------------------------------------------

    private void hubMemory(Map<String, Path> caches) throws IOException {
        if (!Procfs.available()) {
            for (String id : List.of("hub_rss_idle_mb", "hub_rss_100_fronts_mb", "hub_cpu_100_fronts_pct", "hub_rss_real_fronts_mb")) {
                put(Figure.skipped(id, id, "", null, "needs /proc (Linux)"));
            }
            return;
        }
        int n = sizes.rawFronts();
        progress.println("bench: hub RSS with " + n + " connected fronts (raw connections), and with " + sizes.realFronts() + " real front processes");
        Path home = Files.createDirectory(root.resolve("m"));
        Path project = project("mp");
        List<RawFront> fronts = new ArrayList<>();
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            long pid = hub.process().pid();
            sleep(1500);
            double idle = Procfs.rssKb(pid) / 1024.0;
            long base = fakePidBase();
            long startMs = System.currentTimeMillis() - 3_600_000;
            for (int i = 0; i < n; i++) {
                fronts.add(RawFront.connect(hub.paths(), base + i, startMs + i, project.toString(), "bench-raw-" + i));
            }
            sleep(2500); // a liveness sweep or two
            double withFronts = Procfs.rssKb(pid) / 1024.0;
            long ticks0 = Procfs.cpuTicks(pid);
            long w0 = System.nanoTime();
            sleep(sizes == Sizes.QUICK ? 2000 : 5000);
            double cpuPct = (Procfs.cpuTicks(pid) - ticks0) * 10.0 / ((System.nanoTime() - w0) / 1e6) * 100; // ticks are 10 ms
            Map<String, Object> status = hub.control("status", 5_000);
            put(Figure.measured("hub_rss_idle_mb", "hub RSS, idle, no fronts", "MB", Stats.of(List.of(idle)), null, null));
            put(Figure.measured("hub_rss_100_fronts_mb", "hub RSS with " + n + " connected fronts (raw)", "MB",
                    Stats.of(List.of(withFronts)), 160.0, "each: mcp hello + initialize + initialized from one process; heap used "
                            + status.get("heap_used_mb") + " MB, " + Procfs.threads(pid) + " threads, " + status.get("connected_fronts") + " fronts"));
            put(Figure.measured("hub_cpu_100_fronts_pct", "hub CPU while idle with " + n + " fronts", "% of a core",
                    Stats.of(List.of(cpuPct)), null, "liveness sweeps and timers only; nobody calls a tool"));
        } finally {
            fronts.forEach(RawFront::close);
        }

        int real = sizes.realFronts();
        Path home2 = Files.createDirectory(root.resolve("m2"));
        List<StdioChild> procs = new ArrayList<>();
        try (PrivateHub hub = startHub(home2, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            List<String> cmd = frontCommand(caches.get("front"));
            for (int i = 0; i < real; i++) {
                StdioChild f = new StdioChild(track(ChildJava.builder(cmd, ChildJava.cleanEnv(home2, jar)).directory(project.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(frontErr.toFile())).start()));
                procs.add(f);
                f.send(FRONT_INIT);
                f.awaitResponse(1, 20_000);
                f.send(INITIALIZED);
            }
            sleep(2500);
            double rss = Procfs.rssKb(hub.process().pid()) / 1024.0;
            double frontsTotal = procs.stream().mapToLong(p -> Procfs.rssKb(p.pid())).sum() / 1024.0;
            put(Figure.measured("hub_rss_real_fronts_mb", "hub RSS with " + real + " real front processes", "MB",
                    Stats.of(List.of(rss)), 160.0, "those " + real + " fronts use " + Math.round(frontsTotal) + " MB RSS together"));
        } finally {
            procs.forEach(p -> p.finish(10_000));
        }
    }

    // ---- 4. list_project_sessions round trip ----------------------------------------------------------------

    private void listRoundTrip(Map<String, Path> caches) throws IOException {
        int agents = sizes.listAgents();
        progress.println("bench: list_project_sessions through a real front with " + agents + " agents, " + sizes.listCalls() + " calls");
        Path home = Files.createDirectory(root.resolve("l"));
        Path project = project("lp");
        List<RawFront> others = new ArrayList<>();
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            long base = fakePidBase() + 1000;
            long startMs = System.currentTimeMillis() - 3_600_000;
            for (int i = 0; i < agents - 1; i++) {
                Path cwd = Files.createDirectories(project.resolve("sub" + (i % 7)));
                others.add(RawFront.connect(hub.paths(), base + i, startMs + i, cwd.toString(), "bench-agent-" + i));
            }
            ProcessBuilder pb = ChildJava.builder(frontCommand(caches.get("front")), ChildJava.cleanEnv(home, jar))
                    .directory(project.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(frontErr.toFile()));
            try (StdioChild front = new StdioChild(track(pb.start()))) {
                front.send(FRONT_INIT);
                front.awaitResponse(1, 20_000);
                front.send(INITIALIZED);
                List<Double> rtt = new ArrayList<>();
                double first = -1;
                int id = 10;
                int warm = sizes == Sizes.QUICK ? 5 : 20;
                Object count = null;
                for (int i = -warm; i < sizes.listCalls(); i++) {
                    long t0 = System.nanoTime();
                    front.send(call(++id, "list_project_sessions", "{}"));
                    Map<String, Object> r = front.awaitResponse(id, 20_000);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (first < 0) {
                        first = ms;
                        count = sessionCount(r);
                    }
                    if (i >= 0) rtt.add(ms);
                }
                if (!Integer.valueOf(agents).equals(count)) {
                    throw new IOException("list_project_sessions returned " + count + " sessions, expected " + agents);
                }
                put(Figure.measured("list_sessions_rtt_ms", "list_project_sessions round trip, " + agents + " agents", "ms",
                        Stats.of(rtt), 5.0, "through a real front (stdin -> hub -> stdout), after " + warm
                                + " warm-up calls; the first call took " + Math.round(first * 10) / 10.0 + " ms"));
                front.finish(10_000);
            }
        } finally {
            others.forEach(RawFront::close);
        }
    }

    // ---- 5. messaging ----------------------------------------------------------------------------------------

    private void messaging(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("g"));
        Path project = project("gp");
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new MessagingBench(jar, frontCommand(caches.get("front")), hub, home, project, frontErr, sizes == Sizes.QUICK,
                    progress, this::track, this::put, fakePidBase()).run();
        }
    }

    // ---- 6. hooks ---------------------------------------------------------------------------------------------

    private void hooks(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("k"));
        Path project = project("kp");
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new HooksBench(hub, ChildJava.cleanEnv(home, jar), project, root.resolve("hooks.err"), sizes == Sizes.QUICK, progress,
                    this::track, this::put, fakePidBase()).run();
        }
    }

    // ---- 7. wake ----------------------------------------------------------------------------------------------

    private void wake(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("wh")); // "w" is the front group's home
        Path project = project("wp");
        Path work = Files.createDirectory(root.resolve("wk"));
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new WakeBench(hub, home, ChildJava.cleanEnv(home, jar), project, work, jar, sizes == Sizes.QUICK, progress,
                    this::track, this::put, fakePidBase()).run();
        }
    }

    // ---- 8. read_session ---------------------------------------------------------------------------------------

    private void read(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("rd"));
        Path project = project("rp");
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new ReadBench(hub, root, project, sizes == Sizes.QUICK, progress, this::put, fakePidBase()).run();
        }
    }

    // ---- 9. watch ---------------------------------------------------------------------------------------------

    private void watch(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("wa"));
        Path project = project("wap");
        Path work = Files.createDirectory(root.resolve("waw"));
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new WatchBench(java, jar, hub, home, project, work, sizes == Sizes.QUICK, progress, this::put, fakePidBase()).run();
        }
    }

    // ---- 9b. web cockpit: commit -> event stream ---------------------------------------------------------------

    private void web(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("wb"));
        Path project = project("wbp");
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new WebBench(hub, project, sizes == Sizes.QUICK, progress, this::put, fakePidBase()).run();
        }
    }

    // ---- 10. soak -----------------------------------------------------------------------------------------------

    private void soak(Map<String, Path> caches) throws IOException {
        Path home = Files.createDirectory(root.resolve("s"));
        // Keystroke wakes on, whatever the default is.
        Files.writeString(Files.createFile(home.resolve("config.json"),
                PosixFilePermissions.asFileAttribute(dev.huddle.protocol.HubPaths.FILE_MODE)), SoakBench.CONFIG);
        Path project = project("sp");
        Path work = Files.createDirectory(root.resolve("sw"));
        try (PrivateHub hub = startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new SoakBench(java, jar, caches.get("front"), hub, home, project, work, SoakBench.Settings.of(soakAgents, soakMinutes, sizes == Sizes.QUICK),
                    progress, this::put, extra::put).run();
        }
    }

    private static Object sessionCount(Map<String, Object> response) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) response.get("result");
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) ((List<Object>) result.get("content")).getFirst();
            Object c = MiniJson.parseObject((String) item.get("text")).get("count");
            return c instanceof Number num ? num.intValue() : c;
        } catch (RuntimeException e) {
            return "unreadable (" + e + ")";
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private PrivateHub startHub(Path home, Path cache) throws IOException {
        List<String> extra = cache == null ? List.of() : List.of("-XX:AOTCache=" + cache);
        PrivateHub hub = PrivateHub.start(java, jar, home, extra, Map.of());
        track(hub.process());
        return hub;
    }

    /** A project directory (a git repository root, as far as the project locator is concerned). */
    private Path project(String name) throws IOException {
        Path p = Files.createDirectories(root.resolve(name));
        Files.createDirectories(p.resolve(".git"));
        return p.toRealPath();
    }

    /** Pids above the kernel's pid_max: no such process can exist, so the hub takes the hello's agent process as given. */
    private static long fakePidBase() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip()) + 1_000;
        } catch (IOException | RuntimeException e) {
            return 4_300_000;
        }
    }

    private synchronized Process track(Process p) {
        spawned.add(p);
        return p;
    }

    private synchronized void killAll() {
        for (Process p : spawned) if (p.isAlive()) ChildJava.kill(p);
        spawned.clear();
    }

    private void put(Figure f) {
        figures.put(f.id(), f);
    }

    /** The 1, 5 and 15 minute load averages (other work on the machine skews every figure). */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Map<String, Figure> figures() {
        return figures;
    }

    Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("huddle", Version.CURRENT.toString());
        j.put("quick", sizes == Sizes.QUICK);
        j.put("machine", machine());
        j.put("jar", jar.toString());
        j.putAll(extra);
        Map<String, Object> f = new LinkedHashMap<>();
        figures.forEach((k, v) -> f.put(k, v.toJson()));
        j.put("figures", f);
        return j;
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", Procfs.cpuModel());
        m.put("ram_mb", Procfs.memTotalMb());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("java_home", System.getProperty("java.home"));
        m.put("loadavg_at_start", loadAtStart);
        m.put("loadavg_at_end", loadavg());
        return m;
    }
}
