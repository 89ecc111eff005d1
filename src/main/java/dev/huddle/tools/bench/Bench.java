package dev.huddle.tools.bench;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Version;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Process-level benchmarks of huddle on this machine: what an agent and a user actually wait for. Every process
 * is started the way production starts it (same java, same flags, {@code -jar}); hubs run on private homes under
 * /tmp; nothing is left running afterwards. Each group is a class of its own; this one picks the groups, gives each
 * its hub and home, and assembles the report.
 */
public final class Bench {
    /** Benchmark groups, for {@link #only}. */
    public static final List<String> GROUPS = List.of("front", "hub-start", "hub-memory", "list", "messaging", "hooks", "wake", "read", "watch",
            "web", "soak");
    /** Groups that run only when named with --only (they take minutes). */
    static final List<String> OPT_IN = List.of("soak");

    private final String java;
    private final Path jar;
    private final Path aotDir;
    private final Path launcher;
    private final BenchSizes sizes;
    private final boolean train;
    private final PrintStream progress;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private Lab lab;
    private List<String> only = List.of();
    private double soakMinutes = 10;
    private int soakAgents = SoakBench.DEFAULT_AGENTS;

    public Bench(String java, Path jar, Path aotDir, Path launcher, boolean quick, boolean train, PrintStream progress) {
        this.java = java;
        this.jar = jar.toAbsolutePath();
        this.aotDir = aotDir.toAbsolutePath();
        this.launcher = launcher;
        this.sizes = quick ? BenchSizes.QUICK : BenchSizes.FULL;
        this.train = train;
        this.progress = progress;
    }

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

    /** Runs every selected group; returns the report. */
    public BenchReport run() throws IOException {
        String loadAtStart = BenchReport.loadavg();
        Path root = ChildJava.shortTempDir("huddle-bench-");
        lab = new Lab(java, jar, root, sizes, progress);
        Thread cleanup = new Thread(lab::killAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            AotCaches caches = AotCaches.ensure(lab, aotDir, train);
            extra.put("aot", caches.report());
            if (selected("front")) new FrontBench(lab, caches, aotDir, launcher, train).run();
            if (selected("hub-start")) new HubStartBench(lab, caches).run();
            if (selected("hub-memory")) new HubMemoryBench(lab, caches).run();
            if (selected("list")) new ListBench(lab, caches).run();
            if (selected("messaging")) messaging(caches);
            if (selected("hooks")) hooks(caches);
            if (selected("wake")) wake(caches);
            if (selected("read")) read(caches);
            if (selected("watch")) watch(caches);
            if (selected("web")) web(caches);
            if (selected("soak")) soak(caches);
        } finally {
            lab.killAll();
            ChildJava.deleteTree(root);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        Map<String, Figure> figures = lab.figures();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("huddle", Version.CURRENT.toString());
        doc.put("quick", lab.quick());
        doc.put("machine", BenchReport.machine(loadAtStart));
        doc.put("jar", jar.toString());
        doc.putAll(extra);
        Map<String, Object> f = new LinkedHashMap<>();
        figures.forEach((k, v) -> f.put(k, v.toJson()));
        doc.put("figures", f);
        return new BenchReport(doc, figures);
    }

    /** A group on a hub of its own: {@code home} and {@code project} are fresh directories under the bench's root. */
    @FunctionalInterface
    private interface Group {
        void run(PrivateHub hub, Path home, Path project) throws IOException;
    }

    private void onHub(AotCaches caches, String home, String project, Group group) throws IOException {
        Path h = Files.createDirectory(lab.root.resolve(home));
        Path p = lab.project(project);
        try (PrivateHub hub = lab.startHub(h, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            group.run(hub, h, p);
        }
    }

    private void messaging(AotCaches caches) throws IOException {
        onHub(caches, "g", "gp", (hub, home, project) -> new MessagingBench(jar, lab.frontCommand(caches.get("front")), hub, home, project,
                lab.frontErr, lab.quick(), progress, lab::track, lab::put).run());
    }

    private void hooks(AotCaches caches) throws IOException {
        onHub(caches, "k", "kp", (hub, home, project) -> new HooksBench(hub, ChildJava.cleanEnv(home, jar), project, lab.root.resolve("hooks.err"),
                lab.quick(), progress, lab::track, lab::put).run());
    }

    private void wake(AotCaches caches) throws IOException {
        Path work = Files.createDirectory(lab.root.resolve("wk"));
        // "w" is the front group's home
        onHub(caches, "wh", "wp", (hub, home, project) -> new WakeBench(hub, home, ChildJava.cleanEnv(home, jar), project, work, jar,
                lab.quick(), progress, lab::track, lab::put).run());
    }

    private void read(AotCaches caches) throws IOException {
        onHub(caches, "rd", "rp", (hub, home, project) -> new ReadBench(hub, lab.root, project, lab.quick(), progress, lab::put).run());
    }

    private void watch(AotCaches caches) throws IOException {
        Path work = Files.createDirectory(lab.root.resolve("waw"));
        onHub(caches, "wa", "wap", (hub, home, project) -> new WatchBench(java, jar, hub, home, project, work, lab.quick(), progress,
                lab::put).run());
    }

    /** The web cockpit: commit -> event stream. */
    private void web(AotCaches caches) throws IOException {
        onHub(caches, "wb", "wbp", (hub, home, project) -> new WebBench(hub, project, lab.quick(), progress, lab::put).run());
    }

    private void soak(AotCaches caches) throws IOException {
        Path home = Files.createDirectory(lab.root.resolve("s"));
        // Keystroke wakes on, whatever the default is.
        Files.writeString(Files.createFile(home.resolve("config.json"), PosixFilePermissions.asFileAttribute(HubPaths.FILE_MODE)),
                SoakBench.CONFIG);
        Path project = lab.project("sp");
        Path work = Files.createDirectory(lab.root.resolve("sw"));
        try (PrivateHub hub = lab.startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            new SoakBench(java, jar, caches.get("front"), hub, home, project, work, SoakSettings.of(soakAgents, soakMinutes, lab.quick()),
                    progress, lab::put, extra::put).run();
        }
    }
}
