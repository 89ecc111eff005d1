package dev.huddle.cli.doctor;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.HubConfig;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.HubStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code huddle doctor}: checks the JDK, the private state directory, the sockets, the hub, the database, the
 * hub's configuration, tmux, curl and the agent clients' registrations. Never starts a hub, and never makes a
 * running one hand over (an older hub is recognised from {@code hub.json} and left alone).
 */
public final class Doctor {

    /** Asks the running hub for its status without starting one; throws when none answers. */
    @FunctionalInterface
    public interface HubProbe {
        HubStatus status() throws IOException;
    }

    /** Must match HubPaths' limit (macOS allows 104 bytes including the NUL). */
    static final int MAX_SOCKET_PATH_BYTES = 100;
    static final Duration HUB_TIMEOUT = Duration.ofSeconds(3);
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(3);
    /** How deep the privacy check looks below HUDDLE_HOME (huddle's own directories are one level deep). */
    private static final int MAX_SCAN_DEPTH = 3;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, String> env;
    private final HubPaths paths;
    private final Path userHome;
    private final Path cwd;
    private final HubProbe probe;
    private final Duration hubTimeout;
    private final String user = System.getProperty("user.name");

    public Doctor(Map<String, String> env, Path cwd, HubProbe probe) {
        this(env, cwd, probe, HUB_TIMEOUT);
    }

    Doctor(Map<String, String> env, Path cwd, HubProbe probe, Duration hubTimeout) {
        this.hubTimeout = hubTimeout;
        this.env = env;
        this.paths = HubPaths.fromEnvironment(env);
        this.userHome = HubPaths.userHome(env);
        this.cwd = cwd;
        this.probe = probe;
    }

    public HubPaths paths() {
        return paths;
    }

    /** Runs every check (the slow ones in parallel) and returns them in a stable order. */
    public List<Check> run() {
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<List<Check>> hub = async(this::hubChecks, pool);
        CompletableFuture<List<Check>> tmux = async(() -> List.of(tmux()), pool);
        CompletableFuture<List<Check>> curl = async(() -> List.of(curl()), pool);
        CompletableFuture<List<Check>> store = async(() -> StoreChecks.of(paths, env), pool);
        List<Check> checks = new ArrayList<>();
        checks.add(java());
        checks.add(home());
        checks.add(sockets());
        checks.addAll(hub.join());
        checks.addAll(store.join());
        checks.addAll(tmux.join());
        checks.addAll(curl.join());
        checks.addAll(clientChecks());
        pool.shutdown();
        return checks;
    }

    /** Per client, in the registry's order: its MCP registration, its hooks, then any check of its own. */
    List<Check> clientChecks() {
        DoctorContext ctx = new DoctorContext(userHome, env, projectRoot(cwd), paths.httpSocket(), Tools.onPath("curl", env.get("PATH")).isPresent());
        ClientConfigs configs = new ClientConfigs(ctx);
        HookChecks hooks = new HookChecks(ctx);
        List<Check> checks = new ArrayList<>();
        for (AgentClient client : AgentClients.installed().all()) {
            checks.add(configs.check(client));
            checks.add(hooks.check(client));
            checks.addAll(client.doctor().checks(ctx));
        }
        return checks;
    }

    private static CompletableFuture<List<Check>> async(Supplier<List<Check>> s, java.util.concurrent.Executor pool) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return s.get();
            } catch (RuntimeException e) {
                return List.of(Check.warn("doctor", "a check failed unexpectedly: " + e, "Please report it."));
            }
        }, pool);
    }

    // ---------------------------------------------------------------- java

    Check java() {
        Runtime.Version v = Runtime.version();
        String bin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String detail = "Java " + v + " (" + System.getProperty("java.vendor", "unknown vendor") + ") at " + bin;
        if (v.feature() >= 25) return Check.ok("java", detail);
        return Check.fail("java", detail + ": huddle needs Java 25 or newer",
                "Install JDK 25 (https://adoptium.net); the launcher finds it via HUDDLE_JAVA_HOME, JAVA_HOME or /usr/lib/jvm.");
    }

    // ---------------------------------------------------------------- HUDDLE_HOME

    Check home() {
        Path h = paths.home();
        if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS)) {
            return Check.ok("home", h + " does not exist yet (created with mode 0700 on first use)");
        }
        if (Files.isSymbolicLink(h) || !Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) {
            return Check.fail("home", h + " is not a directory (or is a symlink)",
                    "Move it away; huddle keeps its private state in a real directory there (or set HUDDLE_HOME).");
        }
        try {
            String owner = Files.getOwner(h, LinkOption.NOFOLLOW_LINKS).getName();
            if (user != null && !owner.equals(user)) {
                return Check.fail("home", h + " belongs to '" + owner + "', not to '" + user + "'",
                        "Use your own HUDDLE_HOME; huddle refuses another user's directory.");
            }
            String mode = mode(h);
            List<String> exposed = new ArrayList<>();
            int files = scanPrivate(h, exposed, 0);
            if (!exposed.isEmpty()) {
                return Check.fail("home", exposed.size() + " of huddle's files can be read or written by other users: "
                                + String.join(", ", exposed) + ("rwx------".equals(mode) ? "" : "; and " + h + " has mode " + mode),
                        "They hold your agents' sessions and messages: chmod 600 the files (700 directories).");
            }
            if (!"rwx------".equals(mode)) {
                return Check.warn("home", h + " has mode " + mode + ", not rwx------ (the hub tightens it on its next start)",
                        "chmod 700 " + h);
            }
            return Check.ok("home", h + ": private (rwx------, owner " + owner + "); " + files
                    + (files == 1 ? " file" : " files") + ", none readable by others");
        } catch (IOException e) {
            return Check.fail("home", "cannot inspect " + h + ": " + e.getMessage(), "Check that you own it: ls -ld " + h);
        }
    }

    /**
     * Counts the non-directory entries under {@code dir} (logs/, aot/, and whatever else huddle keeps there, a few levels
     * deep); adds the files and directories that are group- or other-accessible to {@code exposed}.
     */
    private static int scanPrivate(Path dir, List<String> exposed, int depth) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isSymbolicLink(p)) continue;
                boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (!directory) n++;
                try {
                    if (exposed(p)) exposed.add(p + " (" + mode(p) + ")");
                    if (directory && depth < MAX_SCAN_DEPTH) n += scanPrivate(p, exposed, depth + 1);
                } catch (IOException vanished) {
                    // removed while we looked (a temporary file)
                }
            }
        }
        return n;
    }

    private static boolean exposed(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return perms.stream().anyMatch(OTHERS::contains);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    // ---------------------------------------------------------------- sockets

    Check sockets() {
        int bytes = paths.httpSocket().toString().getBytes(StandardCharsets.UTF_8).length;
        String detail = paths.mcpSocket() + " and http.sock (" + bytes + " of " + MAX_SOCKET_PATH_BYTES + " bytes)";
        if (!paths.runtimeFallback()) return Check.ok("sockets", detail);
        detail += "; HUDDLE_HOME is too deep for a Unix socket path, so the sockets live in the fallback runtime directory "
                + paths.runtimeDir();
        Path dir = paths.runtimeDir();
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
                if (user != null && !owner.equals(user)) {
                    return Check.fail("sockets", detail + ", which belongs to '" + owner + "'",
                            "Remove " + dir + " (another user's) or use a shorter HUDDLE_HOME.");
                }
                if (!"rwx------".equals(mode(dir))) {
                    return Check.warn("sockets", detail + " (mode " + mode(dir) + ", not rwx------)", "chmod 700 " + dir);
                }
            }
        } catch (IOException e) {
            return Check.warn("sockets", detail + "; cannot inspect it: " + e.getMessage(), "ls -ld " + dir);
        }
        return Check.ok("sockets", detail);
    }

    // ---------------------------------------------------------------- hub, database, config

    /** What the running hub wrote about itself ({@code hub.json}), if anything. */
    record HubInfo(long pid, Version version) {
        boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    HubInfo hubInfo() {
        try {
            Map<String, Object> m = MiniJson.parseObject(Files.readString(paths.hubInfo(), StandardCharsets.UTF_8));
            if (!(m.get("pid") instanceof Number pid)) return null;
            return new HubInfo(pid.longValue(), new Version(String.valueOf(m.get("version")), String.valueOf(m.getOrDefault("build", ""))));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    List<Check> hubChecks() {
        HubInfo info = hubInfo();
        if (info != null && info.alive() && Version.CURRENT.isNewerThan(info.version())) {
            // Any connection from this newer build would make it hand over right now: report, do not touch.
            return List.of(
                    Check.warn("hub", "running an older build: pid " + info.pid() + ", version " + info.version()
                                    + " (this huddle is " + Version.CURRENT + "); it will hand over on next connect",
                            "Nothing to do: the next agent start or huddle command switches to this build (or run `huddle hub restart` now)."),
                    databaseFile(), config(null));
        }
        HubStatus status;
        try {
            status = CompletableFuture.supplyAsync(() -> {
                try {
                    return probe.status();
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor()).get(hubTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String who = info != null && info.alive() ? " (pid " + info.pid() + ")" : "";
            return List.of(Check.fail("hub", "the hub" + who + " accepts connections but did not answer within "
                                    + hubTimeout.toMillis() + " ms",
                            "Stop it (`huddle hub stop`" + (who.isEmpty() ? "" : ", or kill " + info.pid())
                                    + "); the next client starts a fresh one. Its log: " + paths.logDir().resolve("hub.log")),
                    databaseFile(), config(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Check.warn("hub", "interrupted", null));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            return List.of(notRunning(cause), databaseFile(), config(null));
        }
        List<Check> checks = new ArrayList<>(List.of(running(status), database(status), config(status)));
        if (String.valueOf(status.database()).startsWith("postgresql://")) ProjectNameCheck.of(cwd).ifPresent(checks::add);
        return checks;
    }

    private Check notRunning(Throwable why) {
        String message = String.valueOf(why.getMessage());
        if (message.startsWith("hub refused") || message.startsWith("hub answered")) {
            return Check.warn("hub", "a hub answered but refused: " + message, "Run `huddle hub restart`.");
        }
        if (Files.exists(paths.mcpSocket(), LinkOption.NOFOLLOW_LINKS)) {
            return Check.warn("hub", "not running; stale socket " + paths.mcpSocket() + " (the next client removes it)",
                    "Nothing to do (a hub that crashed or was killed leaves it behind).");
        }
        return Check.ok("hub", "not running (the first agent or huddle command starts it on demand)");
    }

    private Check running(HubStatus s) {
        Version hub = new Version(String.valueOf(s.version()), s.build() == null ? "" : s.build());
        String detail = "running: pid " + s.pid() + ", version " + hub;
        String load = ", up " + uptime(s.uptimeS()) + ", " + s.agents() + " agents, " + s.connectedFronts() + " fronts connected";
        int c = hub.compareTo(Version.CURRENT);
        if (c == 0) return Check.ok("hub", detail + " (this build)" + load);
        if (c > 0) {
            return Check.warn("hub", detail + load + "; it is newer than this huddle (" + Version.CURRENT + ")",
                    "Use the newer huddle for CLI commands (the launcher your agents are registered with).");
        }
        return Check.warn("hub", detail + load + "; it is older than this huddle (" + Version.CURRENT + ") and hands over on next connect",
                "Nothing to do: the next agent start or huddle command switches to this build.");
    }

    private Check database(HubStatus s) {
        String check = String.valueOf(s.databaseCheck());
        String detail = s.database() + ": schema version " + s.schemaVersion() + ", integrity check " + check;
        if ("degraded".equals(s.storage())) {
            boolean shared = String.valueOf(s.database()).startsWith("postgresql://"); // a team's store (docs/team.md)
            return Check.fail("database", detail + "; storage degraded since " + s.storageSince() + ": " + s.storageReason(),
                    shared ? "Check that the PostgreSQL server is up and reachable from this machine (pg_isready): the hub"
                            + " reconnects by itself, and keeps everything it acknowledged."
                            : "Free space on that disk (or fix it): the hub takes writes again by itself within a second, and keeps"
                            + " everything it acknowledged.");
        }
        if (!"ok".equals(check) && !"pending".equals(check) || "corrupt".equals(s.storage())) {
            return Check.fail("database", detail + ("corrupt".equals(s.storage()) ? "; corrupt: " + s.storageReason() : ""),
                    "Run `huddle hub recover`: it stops the hub, salvages what is readable of " + paths.database()
                            + " into a new database and keeps the damaged file aside.");
        }
        if ("pending".equals(check)) return Check.ok("database", detail + " (runs as the hub starts)");
        return Check.ok("database", detail);
    }

    /** The database file as the next hub will find it (the hub is not running, or must not be asked). */
    Check databaseFile() {
        Path db = paths.database();
        if (!Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
            return Check.ok("database", db + " not created yet (the hub creates it on first start)");
        }
        if (!Files.isRegularFile(db, LinkOption.NOFOLLOW_LINKS)) {
            return Check.fail("database", db + " is not a regular file", "Move it aside; the hub refuses to start with it.");
        }
        byte[] header = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(db)) {
            n = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            return Check.fail("database", "cannot read " + db + ": " + e.getMessage(), "Check its owner and mode: ls -l " + db);
        }
        if (n == 0) return Check.ok("database", db + " is empty; the hub initialises it on its next start");
        if (n < header.length || !java.util.Arrays.equals(header, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length)) {
            return Check.fail("database", db + " is not a SQLite database", "Move it aside; the hub refuses to start with it.");
        }
        int userVersion = ByteBuffer.wrap(header, 60, 4).getInt();
        long kb = 0;
        try {
            kb = Files.size(db) / 1024;
        } catch (IOException ignored) {
            // size is informational
        }
        return Check.ok("database", db + " (" + kb + " KB, schema version " + userVersion
                + " in its header): readable; the hub opens and checks it on its next start");
    }

    /** Config problems as the running hub reported them, or as the next hub will find them. */
    private Check config(HubStatus status) {
        Path file = paths.config();
        List<String> problems = status != null ? status.configProblems() : HubConfig.load(file, env).problems();
        if (problems.isEmpty()) {
            return Check.ok("config", Files.exists(file) ? file + ": ok" : "no " + file + " (defaults)");
        }
        return Check.warn("config", problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems),
                "Fix " + file + " (or the HUDDLE_* variables); bad entries are ignored meanwhile.");
    }

    private static String uptime(long s) {
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h" + (s % 3600) / 60 + "m";
    }

    // ---------------------------------------------------------------- tmux, curl

    Check tmux() {
        var tmux = Tools.onPath("tmux", env.get("PATH"));
        if (tmux.isEmpty()) {
            return Check.warn("tmux", "not found on PATH (optional: huddle uses it to locate agents' terminals, and later to wake idle agents)",
                    "Install tmux (apt install tmux, brew install tmux) and run your agents inside it.");
        }
        String version = Tools.output(List.of(tmux.get().toString(), "-V"), TOOL_TIMEOUT).map(String::strip).orElse(null);
        if (version == null) {
            return Check.warn("tmux", tmux.get() + " -V failed", "Check the tmux installation.");
        }
        return Check.ok("tmux", version + " (" + tmux.get() + ")");
    }

    Check curl() {
        var curl = Tools.onPath("curl", env.get("PATH"));
        if (curl.isEmpty()) {
            return Check.warn("curl", "not found on PATH (hooks use it to reach the hub in a few ms; without it they start a JVM)",
                    "Install curl (apt install curl, brew install curl).");
        }
        String out = Tools.output(List.of(curl.get().toString(), "--version"), TOOL_TIMEOUT).orElse(null);
        if (out == null) return Check.warn("curl", curl.get() + " --version failed", "Check the curl installation.");
        String first = out.lines().findFirst().orElse("curl").strip();
        String[] words = first.split(" ");
        String version = words.length > 1 ? words[0] + " " + words[1] : first;
        boolean unixSockets = out.lines().anyMatch(l -> l.startsWith("Features:") && l.contains("UnixSockets"));
        if (!unixSockets) {
            return Check.warn("curl", version + " (" + curl.get() + ") lacks Unix socket support (--unix-socket)",
                    "Install a curl built with Unix sockets (7.40 or newer); hooks fall back to a slower path meanwhile.");
        }
        return Check.ok("curl", version + " (" + curl.get() + ")");
    }

    // ---------------------------------------------------------------- helpers

    /** The git repository containing {@code dir} (its {@code .git} holder), or null. */
    static Path projectRoot(Path dir) {
        if (dir == null) return null;
        return new ProjectLocator(new NioFileProbe()).repositoryRoot(dir.toAbsolutePath().normalize()).orElse(null);
    }
}
