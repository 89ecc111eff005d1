package dev.huddle.it.support;

import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.JvmOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A private {@code HUDDLE_HOME} for a test (a short path under /tmp, mode 0700), the explicit environment every
 * process under test gets (nothing of the caller's own agent session leaks in), and ways to run the CLI, start
 * fronts, make project directories and git repositories, read the hub's log, and find, stop and kill the processes
 * that belong to this home. {@link #close()} leaves nothing behind: it closes the fronts, stops the hub, kills every
 * process whose environment names this home, and deletes the directories it created. {@link HubTest} makes and
 * closes them.
 */
public final class TestHome implements AutoCloseable {
    public static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    /** How much of each hub log file {@link #logTail()} shows. */
    private static final int LOG_TAIL_CHARS = 8000;

    private final Path home;
    private final Path jar;
    private final Map<String, String> extraEnv = new LinkedHashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Path> scratch = new ArrayList<>();

    private TestHome(Path home) {
        this.home = home;
        this.jar = jar();
        // A fast liveness sweep, so that "offline" shows within a few seconds. A hub inherits the environment of
        // the client that starts it, so every process this home starts carries it.
        extraEnv.put("HUDDLE_LIVENESS_INTERVAL_MS", "200");
        // Tests run inside the developer's terminal, and their agents in its foreground job: a test hub must never
        // type into it. Tests of the keystroke route switch it on (withEnv("HUDDLE_WAKE_TERMINAL", "on")).
        extraEnv.put("HUDDLE_WAKE_TERMINAL", "off");
    }

    /** A fresh, empty home: {@code /tmp/h<random>} (short, so the sockets fit in it). */
    public static TestHome create() {
        try {
            return new TestHome(Files.createTempDirectory(Path.of("/tmp"), "h",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A home at a given (possibly not yet existing) path; it is deleted on close. */
    public static TestHome at(Path home) {
        return new TestHome(home.toAbsolutePath().normalize());
    }

    public static Path jar() {
        String p = System.getProperty("huddle.jar");
        if (p == null) throw new IllegalStateException("system property huddle.jar is not set (run through failsafe)");
        Path jar = Path.of(p).toAbsolutePath();
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("no jar at " + jar);
        return jar;
    }

    /** The {@code ./huddle} launcher (system property huddle.launcher, set by Failsafe). */
    public static Path launcher() {
        String p = System.getProperty("huddle.launcher");
        if (p == null) throw new IllegalStateException("system property huddle.launcher is not set (run through failsafe)");
        return Path.of(p).toAbsolutePath();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Path home() {
        return home;
    }

    public HubPaths paths() {
        return HubPaths.fromEnvironment(Map.of("HUDDLE_HOME", home.toString()));
    }

    /** Adds a variable to the environment of every process this home starts (and so of a hub they start). */
    public TestHome withEnv(String key, String value) {
        extraEnv.put(key, value);
        return this;
    }

    /** The environment of processes under test, built from scratch. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", System.getProperty("user.home"));
        env.put("LANG", "C.UTF-8");
        env.put("HUDDLE_HOME", home.toString());
        env.put("HUDDLE_JAR", jar.toString());
        env.put("HUDDLE_AOT", "off");
        env.putAll(extraEnv);
        return env;
    }

    /** A scratch directory deleted with this home (agents' working directories, git repositories, ...). */
    public Path newDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
            scratch.add(d);
            return d.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project directory: a scratch directory with a {@code .git} directory in it, which makes it a project root. */
    public Path newProject(String prefix) {
        return markRepository(newDir(prefix));
    }

    /**
     * Makes {@code dir} a repository root as far as huddle's project locator is concerned (a {@code .git} directory
     * with a {@code HEAD}, without running git), and returns it.
     */
    public static Path markRepository(Path dir) {
        try {
            Path dotGit = Files.createDirectories(dir.resolve(".git"));
            Path head = dotGit.resolve("HEAD");
            if (!Files.exists(head)) Files.writeString(head, "ref: refs/heads/main\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A real git repository ({@code git init}, one empty commit) in a new scratch directory. */
    public Path newGitRepository(String prefix) {
        return initGitRepository(newDir(prefix));
    }

    /** Makes {@code dir} (created if missing) a real git repository with one empty commit; returns it. */
    public Path initGitRepository(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(dir, "init", "-q");
        git(dir, "commit", "-q", "--allow-empty", "-m", "init");
        return dir;
    }

    /** {@code git <args>} in {@code dir}, as user t with this home as {@code HOME} and no system config; must succeed. */
    public void git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        cmd.addAll(Arrays.asList(args));
        Result r = run(dir, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(), "GIT_CONFIG_NOSYSTEM", "1"),
                Duration.ofSeconds(30), cmd);
        if (r.exit() != 0) throw new AssertionError("git " + String.join(" ", args) + " in " + dir + " failed: " + r);
    }

    /** The tail of each of the hub's log files (hub.log, hub.stderr.log), for failure messages; "" when there are none. */
    public String logTail() {
        Path logs = paths().logDir();
        if (!Files.isDirectory(logs)) return "";
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.length() > LOG_TAIL_CHARS) text = "..." + text.substring(text.length() - LOG_TAIL_CHARS);
                sb.append("\n--- ").append(f).append(" ---\n").append(text);
            }
        } catch (IOException | RuntimeException e) {
            sb.append("\n(hub log unreadable: ").append(e).append(')');
        }
        return sb.toString();
    }

    // ---- the CLI ----

    public record Result(int exit, String stdout, String stderr) {
        public Map<String, Object> json() {
            return Json.object(stdout.strip());
        }

        /** The check named {@code name} of {@code huddle doctor --json}'s output. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> doctorCheck(String name) {
            return ((List<Map<String, Object>>) json().get("checks")).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no doctor check '" + name + "' in " + this));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs {@code java -jar huddle.jar <args>} in {@code cwd} with this home's environment. */
    public Result cli(Path cwd, String... args) {
        return run(cwd, env(), CLI_TIMEOUT, command(args));
    }

    public Result cli(String... args) {
        return cli(home, args);
    }

    /**
     * The CLI as the human runs it from a terminal of their own: outside this JVM's process tree (forked twice, so that
     * init adopts it). For tests where this JVM plays an agent process: the hub takes a command its children run for
     * that agent's (they run inside its process tree), as it would a command of the agent's shell tool.
     */
    public Result cliOutsideThisProcessTree(Path cwd, String... args) {
        // The orphan's output goes to files: the JDK closes a child's pipes once the child (the first shell) exits.
        Path dir = newDir("outside");
        Path out = dir.resolve("out"), err = dir.resolve("err"), rc = dir.resolve("rc");
        String cmd = String.join(" ", command(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        String script = "( " + cmd + " </dev/null >'" + out + "' 2>'" + err + "'; echo $? >'" + rc + ".tmp'; mv '" + rc + ".tmp' '" + rc + "' ) &";
        Result started = run(cwd, env(), CLI_TIMEOUT, List.of("/bin/sh", "-c", script));
        if (started.exit() != 0) throw new AssertionError("could not start " + cmd + ": " + started);
        try {
            await().atMost(CLI_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(rc));
            return new Result(Integer.parseInt(Files.readString(rc).strip()), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Starts {@code binary args} in {@code cwd} with exactly {@code env} and stdin from /dev/null (a real client's session). */
    public static Process startClean(Path binary, List<String> args, Path cwd, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    /** Starts {@code java -jar huddle.jar <args>} without waiting; finish it with {@link #finish}. */
    public Process spawnCli(Path cwd, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(JvmOptions.COMMON);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    public static Result run(Path cwd, Map<String, String> env, Duration timeout, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return finish(p, timeout, String.join(" ", cmd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result finish(Process p, Duration timeout, String what) {
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + what);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(read failed: " + e + ")";
            }
        }, Thread::startVirtualThread);
    }

    // ---- the hub ----

    /** Makes sure a hub runs (a {@code ps} auto-starts one) and returns its pid. */
    public long startHub() {
        Result r = cli("ps", "--json");
        if (r.exit() != 0) throw new AssertionError("huddle ps failed: " + r);
        return awaitHub(null, Duration.ofSeconds(10)); // hub.json is written just after the hub starts accepting
    }

    /** The pid in {@code hub.json}, when that process is alive. */
    public Optional<Long> hubPid() {
        try {
            Map<String, Object> info = Json.object(Files.readString(home.resolve("hub.json")));
            long pid = ((Number) info.get("pid")).longValue();
            return alive(pid) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Waits until hub.json names a live hub other than {@code notThis} (any, when null) and returns its pid. */
    public long awaitHub(Long notThis, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> hubPid().filter(p -> !p.equals(notThis)).isPresent());
        return hubPid().orElseThrow();
    }

    /** Every live process started with this home in its environment. */
    public List<ProcessHandle> processes() {
        String needle = "\0HUDDLE_HOME=" + home + "\0";
        long me = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != me && alive(h.pid()))
                .filter(h -> environOf(h.pid()).contains(needle))
                .toList();
    }

    /** The live {@code huddle hub run} processes of this home. */
    public List<Long> hubProcesses() {
        return processes().stream().filter(h -> {
            List<String> args = cmdlineOf(h.pid());
            int i = args.indexOf("hub");
            return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals("run");
        }).map(ProcessHandle::pid).toList();
    }

    /** The environment of a process as {@code \0K=V\0K=V\0}, or "" when unreadable. */
    public static String environOf(long pid) {
        try {
            return "\0" + new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public static List<String> cmdlineOf(long pid) {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8);
            return Arrays.asList(s.split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** {@code kill -<signal> <pid>} (STOP, CONT, ...). */
    public static void signal(long pid, String signal) {
        Result r = run(Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(10),
                List.of("kill", "-" + signal, String.valueOf(pid)));
        if (r.exit() != 0) throw new AssertionError("kill -" + signal + " " + pid + " failed: " + r);
    }

    /** Whether the process runs. A zombie (exited, not yet reaped by its parent) does not: ProcessHandle says it does. */
    public static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether every thread of the process is stopped (SIGSTOP has taken effect, not only been sent). */
    public static boolean stopped(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.allMatch(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    return state == 'T' || state == 't';
                } catch (IOException | RuntimeException e) {
                    return true; // the thread is gone
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The bytes the process has written with write(2) so far ({@code wchar} of /proc/PID/io: to pipes, sockets and
     * files): a growing figure shows that it passed on what it was given.
     */
    public static long bytesWritten(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "io"))) {
                if (line.startsWith("wchar:")) return Long.parseLong(line.substring(6).strip());
            }
            throw new IllegalStateException("no wchar in /proc/" + pid + "/io");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void awaitGone(long pid, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> !alive(pid));
    }

    // ---- fronts ----

    /** A real front driven by the SDK client, under its own {@code sh} agent process, in {@code cwd}. */
    public SimulatedAgent agent(Path cwd, String clientName, Map<String, String> agentEnv) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("LANG", "C.UTF-8");
        env.putAll(agentEnv);
        SimulatedAgent a = SimulatedAgent.start(new SimulatedAgent.Spec(jar, home, cwd, clientName, "1.0.0", env));
        owned.add(a);
        return a;
    }

    /** A raw front under its own {@code sh} agent process; {@code agentEnv} on top of this home's environment. */
    public RawFront rawFront(Path cwd, Map<String, String> agentEnv) {
        return rawFront(cwd, agentEnv, "exit $?");
    }

    /** A raw front whose agent process ({@code sh}) runs {@code afterFront} when the front has exited. */
    public RawFront rawFront(Path cwd, Map<String, String> agentEnv, String afterFront) {
        Map<String, String> env = env();
        env.putAll(agentEnv);
        RawFront f = RawFront.underShell(cwd, env, afterFront);
        owned.add(f);
        return f;
    }

    /** A raw front started through the {@code ./huddle} launcher (its JDK: the tests' own), under its own {@code sh}. */
    public RawFront launcherFront(Path cwd, Map<String, String> agentEnv) {
        Map<String, String> env = env();
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home"));
        env.putAll(agentEnv);
        RawFront f = RawFront.viaLauncher(cwd, env);
        owned.add(f);
        return f;
    }

    /** A raw front whose parent ("agent process") is this test JVM itself. */
    public RawFront directFront(Path cwd, Map<String, String> agentEnv) {
        Map<String, String> env = env();
        env.putAll(agentEnv);
        RawFront f = RawFront.direct(cwd, env);
        owned.add(f);
        return f;
    }

    // ---- cleanup ----

    /** Stops the hub with a control request straight on its socket (no CLI JVM) and waits for it to exit. */
    public void stopHub() {
        List<Long> hubs = hubProcesses();
        if (hubs.isEmpty()) return;
        Map<String, Object> hello = RawHubSocket.hello("control");
        hello.put("op", "stop");
        try (RawHubSocket s = RawHubSocket.connect(paths().mcpSocket())) {
            s.sendLine(Json.write(hello));
            s.awaitEof(Duration.ofSeconds(5));
        } catch (RuntimeException | AssertionError ignored) {
            // killed below
        }
        for (long pid : hubs) {
            try {
                awaitGone(pid, Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // killed below
            }
        }
    }

    public void killAll() {
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> left = processes();
            if (left.isEmpty()) return;
            left.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : left) {
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // next round
                }
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // killed below
            }
        }
        stopHub();
        killAll();
        HubPaths paths = paths();
        deleteRecursively(home);
        if (paths.runtimeFallback()) deleteRecursively(paths.runtimeDir());
        scratch.forEach(TestHome::deleteRecursively);
    }

    /** Deletes a tree this test created (never follows symbolic links out of it). */
    public static void deleteRecursively(Path p) {
        if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
