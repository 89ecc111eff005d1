package dev.huddle.agents.codex;

import dev.huddle.agents.WakeRoute;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.WakeAttempt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codex queue route against a fake {@code codex} (a sh script that records its environment and arguments): real
 * processes, no shell between huddle and codex.
 */
class CodexQueueWakerTest {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    private static final String THREAD = "01a1fe02-996a-7520-84f4-d6857fd989c0";
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";
    private static final String FAKE_CODEX = """
            #!/bin/sh
            d=$(dirname "$0")
            if [ "$1" = queue ] && [ "$2" = --help ]; then
              echo x >> "$d/help-calls"
              if [ -f "$d/old" ]; then printf 'Codex CLI\\n\\nUsage: codex [OPTIONS] [PROMPT]\\n'; exit 0; fi
              printf 'Queue a message for an existing session\\n\\nUsage: codex queue [OPTIONS] --thread <THREAD> --message <TEXT>\\n'
              exit 0
            fi
            { echo "CODEX_HOME=${CODEX_HOME-<unset>}"; for a in "$@"; do echo "arg:$a"; done; } > "$d/queued"
            [ -f "$d/slow" ] && sleep 5
            if [ -f "$d/fail" ]; then
              echo 'WARNING: proceeding, even though we could not create PATH aliases' >&2
              echo 'Error: failed to queue session message: thread/queue/add failed: no rollout found for thread id X (code -32603)' >&2
              printf '\\nStack backtrace:\\n   0: <unknown>\\n' >&2
              exit 1
            fi
            echo "Queued message 01a1fe0a-8df8-7b00-a229-109dc2bd43ab for thread $2."
            """;

    @TempDir
    Path tmp;
    private Path bin;
    private Path codex;
    private AgentProcess me;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectory(tmp.resolve("bin"));
        codex = bin.resolve("codex");
        Files.writeString(codex, FAKE_CODEX);
        Files.setPosixFilePermissions(codex, PosixFilePermissions.fromString("rwx------"));
        me = PROCESSES.describe(ProcessHandle.current().pid()).orElseThrow(); // a java process: not codex, so PATH decides
    }

    private CodexQueueWaker waker(String hubPath) {
        return new CodexQueueWaker(CommandRunner.system(), PROCESSES, new CodexQueueWaker.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), hubPath));
    }

    private List<String> queued() throws IOException {
        return Files.readAllLines(bin.resolve("queued"));
    }

    private int helpCalls() throws IOException {
        return Files.exists(bin.resolve("help-calls")) ? Files.readAllLines(bin.resolve("help-calls")).size() : 0;
    }

    @Test
    void queuesThePointerForTheThreadInTheAgentsCodexHomeWithoutAShell() throws Exception {
        CodexQueueWaker w = waker(bin.toString());
        WakeAttempt a = w.wake(new WakeRoute.Recipient(me, THREAD, Map.of("CODEX_HOME", "/home/u/.codex-work")), POINTER);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(a.route()).isEqualTo("codex_queue");
        assertThat(a.pane()).isNull();
        assertThat(a.reason()).startsWith("codex queue took the wake for thread " + THREAD + " in /home/u/.codex-work");
        assertThat(queued()).containsExactly("CODEX_HOME=/home/u/.codex-work", "arg:queue", "arg:--thread=" + THREAD, "arg:--message=" + POINTER);
        assertThat(a.phaseMillis()).containsKeys("detect", "queue");

        // one argument each, never a command line: quotes, $( ) and ; reach codex as text (and the line is made one line)
        Path pwned = tmp.resolve("pwned");
        a = w.wake(new WakeRoute.Recipient(me, THREAD, Map.of()), "x $(touch " + pwned + "); touch " + pwned + " 'q\"\nnext");
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(queued()).containsExactly("CODEX_HOME=<unset>", "arg:queue", "arg:--thread=" + THREAD,
                "arg:--message=x $(touch " + pwned + "); touch " + pwned + " 'q\" next");
        assertThat(pwned).doesNotExist();
        assertThat(helpCalls()).as("support is detected once per binary").isEqualTo(1);
    }

    @Test
    void aCodexWithoutQueueIsDetectedOnceFallsBackAndIsAskedAgainAfterAnUpgrade() throws Exception {
        Files.createFile(bin.resolve("old")); // prints its general help for `queue --help`, with exit 0, like any Codex
        CodexQueueWaker w = waker(bin.toString());
        WakeRoute.Recipient t = new WakeRoute.Recipient(me, THREAD, Map.of());
        WakeAttempt a = w.wake(t, POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).isEqualTo(codex + " has no `codex queue`");
        assertThat(bin.resolve("queued")).doesNotExist();

        AtomicInteger keystrokes = new AtomicInteger();
        a = w.wake(t, POINTER).orElse(() -> {
            keystrokes.incrementAndGet();
            return new WakeAttempt(WakeStatus.FIRED, "tmux", "%3", "submitted in pane %3", 1, 0, 600, Map.of("gap", 500L));
        });
        assertThat(keystrokes).hasValue(1);
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED);
        assertThat(a.route()).isEqualTo("tmux");
        assertThat(a.pane()).isEqualTo("%3");
        assertThat(a.enterPresses()).isEqualTo(1);
        assertThat(a.reason()).isEqualTo("codex_queue: " + codex + " has no `codex queue`; then submitted in pane %3");
        assertThat(a.phaseMillis()).containsKeys("codex_queue_detect", "gap");
        assertThat(helpCalls()).isEqualTo(1);

        // upgraded in place: a new mtime, asked again
        Files.delete(bin.resolve("old"));
        Files.setLastModifiedTime(codex, FileTime.fromMillis(Files.getLastModifiedTime(codex).toMillis() + 5_000));
        a = w.wake(t, POINTER).orElse(() -> {
            keystrokes.incrementAndGet();
            return WakeAttempt.noRoute("none", "unused");
        });
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(keystrokes).as("no keystrokes once Codex queued it").hasValue(1);
        assertThat(helpCalls()).isEqualTo(2);
    }

    @Test
    void aFailedQueueFallsBackWithCodexsErrorLine() throws Exception {
        Files.createFile(bin.resolve("fail"));
        CodexQueueWaker w = waker(bin.toString());
        WakeRoute.Recipient t = new WakeRoute.Recipient(me, THREAD, Map.of("CODEX_HOME", "/h"));
        WakeAttempt a = w.wake(t, POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).isEqualTo("codex queue for thread " + THREAD + " in /h failed (exit 1: Error: failed to queue session message:"
                + " thread/queue/add failed: no rollout found for thread id X (code -32603))");
        a = w.wake(t, POINTER).orElse(() -> new WakeAttempt(WakeStatus.SKIPPED_NOT_FOREGROUND, "tmux", "%3",
                "pane %3: agent codex (pid 9) has no controlling terminal", 0, 0, 3, Map.of()));
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).startsWith("codex_queue: codex queue for thread").contains("exit 1: Error:")
                .endsWith("; then pane %3: agent codex (pid 9) has no controlling terminal");

        Files.delete(bin.resolve("fail"));
        Files.createFile(bin.resolve("slow"));
        a = new CodexQueueWaker(CommandRunner.system(), PROCESSES, new CodexQueueWaker.Options(Duration.ofSeconds(5), Duration.ofMillis(300), bin.toString()))
                .wake(t, POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("did not answer within 300 ms");
    }

    @Test
    void noBoundThreadOrAThreadIdThatIsNotAUuidRunsNothing() throws Exception {
        CodexQueueWaker w = waker(bin.toString());
        for (String bad : new String[]{null, "", "p-5f3a9c", "--help", THREAD + " x", "-" + THREAD.substring(1), THREAD.replace('a', 'z')}) {
            WakeAttempt a = w.wake(new WakeRoute.Recipient(me, bad, Map.of()), POINTER);
            assertThat(a.status()).as(String.valueOf(bad)).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
            assertThat(a.reason()).contains("no Codex thread id");
        }
        assertThat(helpCalls()).isZero();
        assertThat(bin.resolve("queued")).doesNotExist();
        assertThat(w.wake(new WakeRoute.Recipient(me, THREAD, Map.of()), "\u001B[2J\n").status()).isEqualTo(WakeStatus.FAILED);
    }

    @Test
    void theHubsPathThenTheAgentsPathAndNoCodexIsNoRoute() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        WakeAttempt a = waker(empty.toString()).wake(new WakeRoute.Recipient(me, THREAD, Map.of()), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).contains("no codex executable");
        assertThat(waker(null).wake(new WakeRoute.Recipient(null, THREAD, Map.of()), POINTER).status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);

        a = waker(empty + ":relative/bin").wake(new WakeRoute.Recipient(me, THREAD, Map.of("PATH", "/nonexistent:" + bin)), POINTER);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
    }

    @Test
    void theAgentsOwnCodexExecutableIsAskedFirst() throws Exception {
        // an agent process whose executable is named codex (a copy of sleep): its version holds the thread, so it decides
        Path own = Files.createDirectory(tmp.resolve("own")).resolve("codex");
        Path sleep = Files.isExecutable(Path.of("/bin/sleep")) ? Path.of("/bin/sleep") : Path.of("/usr/bin/sleep");
        Files.copy(sleep, own);
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        Process agent = new ProcessBuilder(own.toString(), "60").start();
        try {
            AgentProcess p = PROCESSES.describe(agent.pid()).orElseThrow();
            WakeAttempt a = waker(bin.toString()).wake(new WakeRoute.Recipient(p, THREAD, Map.of()), POINTER);
            assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
            assertThat(a.reason()).as("sleep fails `queue --help`: the agent's own binary was asked, not PATH's")
                    .isEqualTo(own.toRealPath() + " has no `codex queue`");
            assertThat(helpCalls()).isZero();
        } finally {
            agent.destroyForcibly();
        }
    }
}
