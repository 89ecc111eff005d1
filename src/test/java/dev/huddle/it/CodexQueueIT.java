package dev.huddle.it;

import dev.huddle.agents.WakeRoute;
import dev.huddle.agents.codex.CodexQueueWaker;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.it.support.FakeResponses;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.WakeAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codex_queue route against the real Codex CLI, offline (a scripted Responses endpoint): what {@code codex queue}
 * does with a thread nobody holds, an unknown thread, and an idle TUI. Skipped when Codex is not installed (CI does
 * not install it): set {@code HUDDLE_CODEX_BIN} or install it into {@code .ci/node}.
 */
class CodexQueueIT {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    private static final Pattern SESSION_ID = Pattern.compile("session id: ([0-9a-f-]{36})");
    private static final Pattern ROLLOUT = Pattern.compile("rollout-.*-([0-9a-f-]{36})\\.jsonl");
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";

    private Path codex;
    private Path tmp;
    private Path home;
    private Path project;
    private FakeResponses model;
    private CodexQueueWaker waker;

    @BeforeEach
    void setUp() throws IOException {
        codex = codexBinary();
        tmp = Files.createTempDirectory(Path.of("/tmp"), "hx-codex", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        home = Files.createDirectory(tmp.resolve("codex-home"));
        project = Files.createDirectory(tmp.resolve("proj"));
        model = FakeResponses.start();
        Files.writeString(home.resolve("config.toml"), """
                model = "gpt-fake"
                model_provider = "fake"
                [model_providers.fake]
                name = "fake"
                base_url = "%s"
                wire_api = "responses"
                env_key = "FAKE_KEY"
                request_max_retries = 0
                stream_max_retries = 0
                [projects."%s"]
                trust_level = "trusted"
                """.formatted(model.baseUrl(), project));
        waker = new CodexQueueWaker(CommandRunner.system(), PROCESSES,
                new CodexQueueWaker.Options(Duration.ofSeconds(5), Duration.ofSeconds(20), codex.getParent().toString()));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tmp == null) return; // skipped: no Codex
        run(List.of("tmux", "-S", tmp.resolve("tmux.sock").toString(), "kill-server"), Duration.ofSeconds(5));
        // the TUI's app-server daemon outlives it: stop every process started from this CODEX_HOME
        ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").startsWith(home.toString())).forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        if (model != null) model.close();
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aQueuedWakeWaitsForAThreadNobodyHoldsAndIsItsNextTurnOnResume() throws Exception {
        String out = codex(List.of("exec", "--skip-git-repo-check", "hi"));
        Matcher m = SESSION_ID.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String thread = m.group(1);
        int before = model.requests().size();

        WakeAttempt a = waker.wake(new WakeRoute.Recipient(null, thread, Map.of("CODEX_HOME", home.toString())), POINTER);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(model.requests()).as("nobody holds the thread: queued, not run").hasSize(before);

        Instant resumed = Instant.now();
        codex(List.of("exec", "--skip-git-repo-check", "resume", thread, "next"));
        assertThat(model.received().subList(before, model.received().size())).as("queued until the resume: nothing ran it before")
                .allSatisfy(r -> assertThat(r.at()).isAfterOrEqualTo(resumed));
        List<String> after = model.requests().subList(before, model.requests().size());
        assertThat(after).as("the resumed thread runs the queued wake first").anyMatch(b -> b.contains(POINTER) && !b.contains("\"next\""));
        assertThat(after.getLast()).contains(POINTER).contains("next");

        a = waker.wake(new WakeRoute.Recipient(null, "01a1fe01-0000-7000-8000-000000000000", Map.of("CODEX_HOME", home.toString())), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("exit 1").contains("no rollout found for thread id");
        a = waker.wake(new WakeRoute.Recipient(null, thread, Map.of("CODEX_HOME", tmp.resolve("nowhere").toString())), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("does not exist");
    }

    @Test
    void anIdleTuiStartsATurnWithTheQueuedWake() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux not installed");
        String sock = tmp.resolve("tmux.sock").toString();
        run(List.of("tmux", "-S", sock, "new-session", "-d", "-s", "cx", "-x", "150", "-y", "40", "-c", project.toString(),
                "env", "CODEX_HOME=" + home, "FAKE_KEY=x", codex.toString()), Duration.ofSeconds(10));
        await(() -> capture(sock).contains("Ask Codex"), "the TUI's composer");
        run(List.of("tmux", "-S", sock, "send-keys", "-t", "cx", "-l", "first prompt"), Duration.ofSeconds(5));
        Thread.sleep(500); // past Codex's paste-burst Enter suppression
        run(List.of("tmux", "-S", sock, "send-keys", "-t", "cx", "Enter"), Duration.ofSeconds(5));
        await(() -> rolloutThread().isPresent() && model.requests().stream().anyMatch(b -> b.contains("first prompt")), "the first turn");
        String thread = rolloutThread().orElseThrow();
        await(() -> capture(sock).contains("Worked for"), "the first turn ended");
        Thread.sleep(500); // lets the TUI settle after its turn: no condition that shows it is known

        // Codex 0.157+ runs the thread (and so huddle's MCP server, the agent process huddle knows) in its app-server daemon
        Optional<AgentProcess> daemon = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").startsWith(home.toString()) && p.info().arguments().map(x -> List.of(x).contains("--listen")).orElse(false))
                .findFirst().flatMap(p -> PROCESSES.describe(p.pid()));
        int before = model.requests().size();
        WakeAttempt a = waker.wake(new WakeRoute.Recipient(daemon.orElse(null), thread, Map.of("CODEX_HOME", home.toString())), POINTER);
        System.out.println("[wake timing] codex_queue: " + a.status().wireName() + " in " + a.durationMillis() + " ms " + a.phaseMillis()
                + (daemon.isPresent() ? " (agent: the app-server daemon)" : ""));
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        await(() -> model.requests().stream().skip(before).anyMatch(b -> b.contains(POINTER)), "the idle TUI's thread started a turn with the wake");
        await(() -> capture(sock).contains(POINTER.substring(0, 40)), "the TUI shows the queued prompt");
    }

    // --- helpers ---

    private Optional<String> rolloutThread() {
        try (Stream<Path> files = Files.walk(home.resolve("sessions"))) {
            return files.map(p -> ROLLOUT.matcher(p.getFileName().toString())).filter(Matcher::matches).map(x -> x.group(1)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String codex(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "CODEX_HOME=" + home, "FAKE_KEY=x", codex.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String run(List<String> cmd, Duration timeout) {
        return CommandRunner.system().run(cmd, timeout).stdout();
    }

    private static String capture(String sock) {
        return run(List.of("tmux", "-S", sock, "capture-pane", "-p", "-t", "cx"), Duration.ofSeconds(5));
    }

    private static void await(BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    /** -Dhuddle.codex / $HUDDLE_CODEX_BIN, else {@code <repo>/.ci/node/node_modules/.bin/codex}; skipped when absent. */
    private static Path codexBinary() {
        String configured = System.getProperty("huddle.codex", System.getenv("HUDDLE_CODEX_BIN"));
        String launcher = System.getProperty("huddle.launcher");
        Path bin = configured != null && !configured.isBlank() ? Path.of(configured)
                : launcher == null ? Path.of("codex-not-configured") : Path.of(launcher).toAbsolutePath().getParent().resolve(".ci/node/node_modules/.bin/codex");
        Assumptions.assumeTrue(Files.isExecutable(bin), "Codex CLI not found at " + bin + " (set HUDDLE_CODEX_BIN)");
        return bin.toAbsolutePath();
    }
}
