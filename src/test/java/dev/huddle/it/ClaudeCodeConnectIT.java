package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI (installed by {@code .ci/install-clients.sh} into {@code .ci/node}) registers
 * {@code huddle mcp} as a user-scope stdio server and health-checks it with {@code claude mcp list}, which
 * spawns the front through the launcher and runs the MCP handshake ({@code server/discover} probe, then
 * {@code initialize}, {@code notifications/initialized}, {@code tools/list}). No model, account or network.
 *
 * <p>Observed with Claude Code 2.1.329:
 * <pre>
 * Checking MCP server health…
 *
 * huddle: /abs/path/huddle mcp - ✔ Connected
 * </pre>
 * and on failure {@code huddle: ... - ✘ Failed to connect} (with detail); the exit code is 0 either way.
 *
 * <p>Skipped when the client is not installed, except under CI ({@code CI=true}), where it must run.
 */
class ClaudeCodeConnectIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Path launcher;
    private Path home;
    private Path huddleHome;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        launcher = Path.of(required("huddle.launcher")).toAbsolutePath();
        assertThat(launcher).as("launcher from -Dhuddle.launcher").isExecutable();
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        home = Files.createTempDirectory(Path.of("/tmp"), "huddle-cc-home-", rwx);
        // Short: the hub's sockets live under HUDDLE_HOME (Unix socket paths are limited to ~104 bytes).
        huddleHome = Files.createTempDirectory(Path.of("/tmp"), "hd", rwx);
        env = cleanEnvironment();
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        try {
            if (launcher != null && env != null && huddleHome != null) {
                try {
                    ItProcesses.Result stop = run(home, List.of(launcher.toString(), "hub", "stop"), Duration.ofSeconds(60));
                    System.err.println("ClaudeCodeConnectIT teardown: " + stop);
                } catch (RuntimeException | IOException | AssertionError ignored) {
                    // best effort: the hub may never have started
                }
                killProcessesIn(huddleHome);
            }
        } finally {
            deleteRecursively(home);
            deleteRecursively(huddleHome);
        }
    }

    @Test
    void claudeCodeConnectsToHuddleMcpThroughTheLauncher() throws Exception {
        Path claude = claudeBinary();

        ItProcesses.Result version = run(home, List.of(claude.toString(), "--version"), TIMEOUT);
        assertThat(version.exitCode()).as("claude --version%n%s", version).isZero();

        ItProcesses.Result add = run(home, List.of(claude.toString(), "mcp", "add", "--scope", "user", "huddle", "--",
                launcher.toString(), "mcp"), TIMEOUT);
        assertThat(add.exitCode()).as("claude mcp add%n%s", add).isZero();

        ItProcesses.Result list = run(home, List.of(claude.toString(), "mcp", "list"), TIMEOUT);
        assertThat(list.exitCode()).as("claude mcp list%n%s", list).isZero();
        Optional<String> line = list.output().lines().filter(l -> l.startsWith("huddle:")).findFirst();
        assertThat(line).as("a 'huddle:' line in claude mcp list%n%s%s", list, hubLog()).isPresent();
        assertThat(line.get())
                .as("claude mcp list (client %s)%n%s%s", version.output().strip(), list, hubLog())
                .contains(launcher + " mcp")
                .containsPattern("[✓✔] Connected")
                .doesNotContain("Failed");
    }

    /** -Dhuddle.claude / $HUDDLE_CLAUDE_BIN, else {@code <repo>/.ci/node/node_modules/.bin/claude}. */
    private Path claudeBinary() {
        String configured = System.getProperty("huddle.claude", System.getenv("HUDDLE_CLAUDE_BIN"));
        Path claude = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : launcher.getParent().resolve(".ci/node/node_modules/.bin/claude");
        if (!Files.isExecutable(claude)) {
            String why = "Claude Code CLI not found at " + claude
                    + " (install it with .ci/install-clients.sh or set HUDDLE_CLAUDE_BIN)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the real-client test");
            Assumptions.assumeTrue(false, why);
        }
        return claude.toAbsolutePath();
    }

    /**
     * Built from scratch: nothing of a surrounding agent session (CLAUDECODE, CLAUDE_*, CODEX_*, GEMINI_*) leaks
     * into the client or the front it spawns.
     */
    private Map<String, String> cleanEnvironment() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        e.put("HOME", home.toString());
        e.put("HUDDLE_HOME", huddleHome.toString());
        e.put("HUDDLE_AOT", "off");
        // The launcher would find a JDK 25 by itself; pin the one running this test to keep it deterministic.
        String javaHome = System.getenv("HUDDLE_JAVA_HOME");
        e.put("HUDDLE_JAVA_HOME", javaHome != null && !javaHome.isBlank() ? javaHome : System.getProperty("java.home"));
        e.put("LANG", "C.UTF-8");
        e.put("TMPDIR", "/tmp");
        e.put("DISABLE_AUTOUPDATER", "1");
        e.put("DISABLE_TELEMETRY", "1");
        e.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        return e;
    }

    private ItProcesses.Result run(Path dir, List<String> command, Duration timeout) throws IOException, InterruptedException {
        return ItProcesses.run(env, dir, timeout, command);
    }

    private String hubLog() {
        try (Stream<Path> files = Files.walk(huddleHome)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.length() > 8000) text = "..." + text.substring(text.length() - 8000);
                sb.append("--- ").append(f).append(" ---\n").append(text).append('\n');
            }
            return sb.isEmpty() ? "" : "\nlogs under HUDDLE_HOME:\n" + sb;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** A hub that ignored {@code hub stop} runs with its cwd in our HUDDLE_HOME (Linux: /proc/PID/cwd). */
    private static void killProcessesIn(Path dir) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return;
        List<ProcessHandle> leftovers = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            try {
                Path cwd = Files.readSymbolicLink(proc.resolve(Long.toString(ph.pid())).resolve("cwd"));
                if (cwd.startsWith(dir)) leftovers.add(ph);
            } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
                // gone, or not ours
            }
        });
        for (ProcessHandle ph : leftovers) {
            System.err.println("ClaudeCodeConnectIT: killing leftover process " + ph.pid() + " "
                    + ph.info().commandLine().orElse("?"));
            ph.destroy();
        }
        for (ProcessHandle ph : leftovers) {
            try {
                ph.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                ph.destroyForcibly();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // sockets or files may vanish while we walk; one more pass, then give up quietly
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // leave it to the OS's /tmp cleanup
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by Failsafe in pom.xml)", property).isNotBlank();
        return value;
    }

}
