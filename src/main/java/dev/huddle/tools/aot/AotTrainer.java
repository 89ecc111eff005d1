package dev.huddle.tools.aot;

import dev.huddle.protocol.Settings;
import dev.huddle.protocol.AotCache;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.JvmOptions;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates the AOT caches (JEP 483/514) for the three roles of this jar on this JDK by training each role in a
 * child JVM started with exactly the flags production uses, plus {@code -XX:AOTCacheOutput}:
 * <ol>
 *   <li>a training <b>hub</b> on a throw-away {@code HUDDLE_HOME} ({@code COMMON + HUB}, as HubStarter);</li>
 *   <li>a training <b>front</b> ({@code COMMON + FRONT}, as the launcher's {@code huddle mcp}) fed a canned MCP
 *       session: initialize, tools/list and the tools;</li>
 *   <li>a training <b>cli</b> ({@code COMMON}, as the launcher's other commands): {@code huddle ps};</li>
 *   <li>then the hub is stopped, which makes it write its cache.</li>
 * </ol>
 * A JVM writes its cache at exit (JDK 25 forks a child JVM to assemble it), so each step waits for its process to
 * end. Caches are written to temporary names, checked, and moved atomically to
 * {@code <role>-<jar size>-<jar mtime>-<java.version>.aot}; caches of the same roles with other keys are deleted.
 * A lock file makes concurrent trainers (two hubs starting at once) a no-op for all but one.
 * <p>
 * The JVM does not notice a jar replaced in place (it would silently serve stale classes), so the cache name
 * carries the jar's size and mtime; if the jar changes while training runs, the result is discarded.
 */
public final class AotTrainer {
    public static final List<String> ROLES = List.of("front", "hub", "cli");
    private static final Pattern CACHE_NAME = Pattern.compile("(front|hub|cli)-.+\\.aot");
    private static final String TMP_PREFIX = ".tmp-";
    private static final long STEP_TIMEOUT_MS = 180_000;

    /** Outcome of a training run. */
    public enum Outcome { TRAINED, UP_TO_DATE, BUSY, FAILED }

    private final String java;
    private final Path jar;
    private final Path outDir;
    private final boolean force;
    private final PrintStream log;
    /** Whether the caches go into {@code $HUDDLE_HOME} (a jar's folder was not writable), which is private: 0700/0600. */
    private final boolean inHome;
    private List<Path> reuse = List.of();

    public AotTrainer(String java, Path jar, Path outDir, boolean force, PrintStream log) {
        this.java = java;
        this.jar = jar.toAbsolutePath();
        this.outDir = outDir.toAbsolutePath();
        this.force = force;
        this.log = log;
        this.inHome = this.outDir.startsWith(HubPaths.fromEnvironment(System.getenv()).home());
    }

    /**
     * Roles whose cache for this jar and JDK already exists in one of these folders are not trained again: a
     * distribution ships caches next to the jar, maybe read-only, and the missing ones go elsewhere.
     */
    public AotTrainer reusing(List<Path> dirs) {
        this.reuse = List.copyOf(dirs);
        return this;
    }

    /** The production JVM flags of a role, without the AOT flag. */
    public static List<String> flagsFor(String role) {
        List<String> flags = new ArrayList<>(JvmOptions.COMMON);
        switch (role) {
            case "front" -> flags.addAll(JvmOptions.FRONT);
            case "hub" -> flags.addAll(JvmOptions.HUB);
            case "cli" -> { }
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
        return flags;
    }

    /** The final cache file of a role for this jar and JDK. */
    public Path cacheFile(String role) throws IOException {
        return outDir.resolve(role + "-" + AotCache.key(jar, System.getProperty("java.version")) + ".aot");
    }

    public Outcome run() {
        try {
            if (inHome) HubPaths.ensurePrivateDirectory(outDir);
            else Files.createDirectories(outDir);
        } catch (IOException e) {
            log.println("aot-train: cannot create " + outDir + ": " + e.getMessage());
            return Outcome.FAILED;
        }
        Path lockPath = outDir.resolve(".training.lock");
        try {
            if (inHome) HubPaths.ensurePrivateFile(lockPath);
        } catch (IOException e) {
            log.println("aot-train: cannot create " + lockPath + ": " + e.getMessage());
            return Outcome.FAILED;
        }
        try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(lockFile);
            if (lock == null) {
                log.println("aot-train: another training is running (" + lockPath + " is locked); nothing to do");
                return Outcome.BUSY;
            }
            try (lock) {
                return trainLocked();
            }
        } catch (IOException e) {
            log.println("aot-train: " + e.getMessage());
            return Outcome.FAILED;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private Outcome trainLocked() throws IOException {
        String key = AotCache.key(jar, System.getProperty("java.version"));
        removeLeftoverTemporaries();
        List<String> missing = new ArrayList<>();
        for (String role : ROLES) {
            if (force || !present(role)) missing.add(role);
        }
        if (missing.isEmpty()) {
            log.println("aot-train: caches for " + jar.getFileName() + " (" + key + ") are up to date in " + outDir);
            removeStale();
            return Outcome.UP_TO_DATE;
        }
        long t0 = System.nanoTime();
        log.println("aot-train: training " + missing + " for " + jar + " (" + key + ") into " + outDir);
        Map<String, Path> tmp = new LinkedHashMap<>();
        for (String role : missing) tmp.put(role, outDir.resolve(TMP_PREFIX + ProcessHandle.current().pid() + "-" + role + ".aot"));
        Path home = ChildJava.shortTempDir("huddle-aot-");
        List<String> problems = new ArrayList<>();
        PrivateHub hub = null;
        try {
            List<String> hubExtra = tmp.containsKey("hub") ? List.of("-XX:AOTCacheOutput=" + tmp.get("hub")) : List.of();
            long s = System.nanoTime();
            // An orphaned training hub (trainer killed) exits on its own after a minute of idleness.
            hub = PrivateHub.start(java, jar, home, hubExtra, Map.of(Settings.HUB_IDLE_EXIT_S.env(), "60"));
            hub.awaitReady(60_000, 20);
            step("hub up", s);

            if (tmp.containsKey("front")) {
                s = System.nanoTime();
                trainFront(home, tmp.get("front"), problems);
                step("front trained", s);
            }
            if (tmp.containsKey("cli")) {
                s = System.nanoTime();
                trainCli(home, tmp.get("cli"), problems);
                step("cli trained", s);
            }
            s = System.nanoTime();
            if (!hub.stop(STEP_TIMEOUT_MS)) problems.add("the training hub did not stop in time");
            step("hub stopped (cache written)", s);
        } catch (IOException e) {
            problems.add(e.getMessage());
        } finally {
            if (hub != null && hub.process().isAlive()) ChildJava.kill(hub.process());
            if (hub != null && !problems.isEmpty()) tail(hub.log());
        }

        if (!key.equals(AotCache.key(jar, System.getProperty("java.version")))) {
            problems.add("the jar changed while training; discarding the caches (the next hub start trains again)");
            tmp.values().forEach(AotTrainer::deleteQuietly);
        }
        List<String> trained = new ArrayList<>();
        for (var e : tmp.entrySet()) {
            String role = e.getKey();
            Path t = e.getValue();
            if (!Files.isRegularFile(t) || Files.size(t) == 0) {
                if (Files.exists(t) || problems.isEmpty()) problems.add("no " + role + " cache was written");
                deleteQuietly(t);
                continue;
            }
            String rejected = verify(role, t);
            if (rejected != null) {
                problems.add("the " + role + " cache does not load with the production flags: " + rejected);
                deleteQuietly(t);
                continue;
            }
            Files.move(t, cacheFile(role), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (inHome) HubPaths.ensurePrivateFile(cacheFile(role)); // the JVM wrote it with the umask's mode
            trained.add(role + " (" + (Files.size(cacheFile(role)) >> 20) + " MB)");
        }
        removeStale();
        ChildJava.deleteTree(home);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!trained.isEmpty()) log.println("aot-train: wrote " + String.join(", ", trained) + " in " + ms + " ms");
        problems.forEach(p -> log.println("aot-train: problem: " + p));
        return problems.isEmpty() ? Outcome.TRAINED : Outcome.FAILED;
    }

    private boolean present(String role) throws IOException {
        List<Path> dirs = new ArrayList<>(reuse);
        dirs.add(outDir);
        for (Path dir : dirs) {
            Path f = dir.resolve(cacheFile(role).getFileName());
            if (Files.isRegularFile(f) && Files.size(f) > 0) return true;
        }
        return false;
    }

    /** The canned MCP session an agent's first minutes look like. */
    static final List<String> FRONT_SESSION = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"huddle-aot-training\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_project_sessions\",\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"set_my_state\","
                    + "\"arguments\":{\"purpose\":\"training the AOT cache\",\"name\":\"trainer\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"get_my_session\",\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_project_sessions\","
                    + "\"arguments\":{\"include_offline\":false}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");

    private void trainFront(Path home, Path out, List<String> problems) throws IOException {
        List<String> flags = new ArrayList<>(flagsFor("front"));
        flags.add("-XX:AOTCacheOutput=" + out);
        ProcessBuilder pb = ChildJava.builder(ChildJava.command(java, flags, jar, List.of("mcp")), ChildJava.cleanEnv(home, jar))
                .directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("front.err").toFile()));
        try (StdioChild front = new StdioChild(pb.start())) {
            for (String line : FRONT_SESSION) {
                front.send(line);
                Object id = idOf(line);
                if (id != null) {
                    Map<String, Object> r = front.awaitResponse(id, 30_000);
                    if (r.containsKey("error")) problems.add("training front: request " + id + " failed: " + r.get("error"));
                }
            }
            if (!front.finish(STEP_TIMEOUT_MS)) problems.add("the training front did not exit in time");
            else if (front.process().exitValue() != 0) problems.add("the training front exited with " + front.process().exitValue());
        } catch (IOException e) {
            problems.add("training front: " + e.getMessage());
            tail(home.resolve("front.err"));
        }
    }

    private void trainCli(Path home, Path out, List<String> problems) throws IOException {
        List<String> flags = new ArrayList<>(flagsFor("cli"));
        flags.add("-XX:AOTCacheOutput=" + out);
        Path cliOut = home.resolve("cli.out");
        Process p = ChildJava.builder(ChildJava.command(java, flags, jar, List.of("ps")), ChildJava.cleanEnv(home, jar))
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(cliOut.toFile()))
                .redirectErrorStream(true)
                .start();
        if (!ChildJava.waitOrKill(p, STEP_TIMEOUT_MS)) problems.add("the training cli did not exit in time");
        else if (p.exitValue() != 0) {
            problems.add("the training cli (huddle ps) exited with " + p.exitValue());
            tail(cliOut);
        }
    }

    /** Starts {@code huddle version} with the production flags and {@code -XX:AOTMode=on}: the JVM refuses a cache it cannot use. */
    private String verify(String role, Path cache) {
        List<String> flags = new ArrayList<>(flagsFor(role));
        flags.add("-XX:AOTMode=on");
        flags.add("-XX:AOTCache=" + cache);
        try {
            Path home = outDir; // unused by `version`
            Process p = ChildJava.builder(ChildJava.command(java, flags, jar, List.of("version")), ChildJava.cleanEnv(home, jar))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ChildJava.waitOrKill(p, 60_000)) return "timed out";
            return p.exitValue() == 0 ? null : output.strip().lines().findFirst().orElse("exit " + p.exitValue());
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Deletes caches of our roles whose key is not this jar's and JDK's (they can never be used again). */
    private void removeStale() throws IOException {
        List<String> keep = new ArrayList<>();
        for (String role : ROLES) keep.add(cacheFile(role).getFileName().toString());
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (CACHE_NAME.matcher(name).matches() && !keep.contains(name) && Files.isRegularFile(p)) {
                    deleteQuietly(p);
                    removed.add(name);
                }
            }
        }
        if (!removed.isEmpty()) log.println("aot-train: removed stale caches " + removed);
    }

    /** Temporary outputs of a trainer that died (we hold the lock, so nobody is writing them). */
    private void removeLeftoverTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir, TMP_PREFIX + "*")) {
            for (Path p : ds) deleteQuietly(p);
        }
    }

    private void step(String what, long startNanos) {
        log.println("aot-train:   " + what + " (" + (System.nanoTime() - startNanos) / 1_000_000 + " ms)");
    }

    private void tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.contains("Skipping")).toList();
            lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> log.println("aot-train:   | " + l));
        } catch (IOException | RuntimeException ignored) {
            // no log to show
        }
    }

    private static Object idOf(String line) {
        Object id = dev.huddle.protocol.MiniJson.parseObject(line).get("id");
        return id;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
