package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.core.wake.WakeStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tmux recipes as argv, against a scripted tmux: the agent is this JVM, its pane process is the JVM's parent,
 * so the process-tree proof runs for real.
 */
class TmuxWakerTest {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    private final AgentProcess me = PROCESSES.describe(ProcessHandle.current().pid()).orElseThrow();
    private final long panePid = ProcessHandle.current().parent().orElseThrow().pid();
    @TempDir
    Path tmp;
    private Path socket;
    private String paneScreen;
    private boolean submitOnEnter;
    private String paneMode;
    /** The foreground rule as the test sets it (this JVM has no terminal); records the ttys it was asked about. */
    private final List<String> askedTtys = new java.util.concurrent.CopyOnWriteArrayList<>();
    private java.util.function.IntFunction<Optional<String>> foregroundAnswer = n -> Optional.empty();

    @BeforeEach
    void setUp() throws IOException {
        socket = Files.createFile(tmp.resolve("tmux.sock"));
        paneScreen = "› " + "\u001B[2mAsk Codex\u001B[0m";
        submitOnEnter = true;
        paneMode = "0";
    }

    private ScriptedRunner tmux() {
        AtomicBoolean typed = new AtomicBoolean();
        return new ScriptedRunner(c -> {
            List<String> a = c.argv();
            String sub = a.get(4);
            return switch (sub) {
                case "list-panes" -> ScriptedRunner.ok("%1\t1\t0\t/dev/pts/1\n%7\t" + panePid + "\t" + paneMode + "\t/dev/pts/7\n");
                case "display-message" -> a.getLast().startsWith("#{pane_id}")
                        ? ScriptedRunner.ok("%7\t" + panePid + "\n") : ScriptedRunner.ok("2\t0\t" + paneMode + "\n");
                case "capture-pane" -> ScriptedRunner.ok(paneScreen + "\n");
                case "send-keys" -> {
                    if (a.contains("-l")) {
                        typed.set(true);
                        paneScreen = "› " + a.getLast();
                    } else if (submitOnEnter && typed.get()) paneScreen = "› ";
                    yield ScriptedRunner.ok("");
                }
                case "load-buffer" -> ScriptedRunner.ok("");
                case "paste-buffer" -> {
                    typed.set(true);
                    paneScreen = "│ > pasted │";
                    yield ScriptedRunner.ok("");
                }
                default -> new CommandRunner.Result(1, "", "unexpected " + sub);
            };
        });
    }

    private TmuxWaker waker(ScriptedRunner r) {
        TmuxWaker.Options o = new TmuxWaker.Options(Duration.ofSeconds(2), Duration.ofMillis(60), 200, List.of(), "/usr/bin/env");
        Foreground fg = (agent, tty) -> {
            askedTtys.add(tty);
            return foregroundAnswer.apply(askedTtys.size());
        };
        return new TmuxWaker(r, PROCESSES, fg, o);
    }

    /** The client's composer, with the short waits before Enter this scripted tmux allows (Codex 40 ms, Claude Code 10 ms, others 5 ms). */
    private static Composer composer(ClientType client) {
        Duration gap = switch (client) {
            case CODEX -> Duration.ofMillis(40);
            case CLAUDE_CODE -> Duration.ofMillis(10);
            default -> Duration.ofMillis(5);
        };
        return Composers.withGap(Composers.of(client), gap);
    }

    private TerminalTarget target(ClientType client, TerminalLocation where) {
        return new TerminalTarget(me, composer(client), where, Map.of("TMUX", socket + ",99,0", "HOME", "/dropped"));
    }

    private String tmuxPrefix() {
        return "/usr/bin/env -u -S " + socket + " ";
    }

    @Test
    void codexTypesLiterallyWaitsThenPressesEnterAndVerifies() {
        ScriptedRunner r = tmux();
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "read\nyour mail;");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        assertThat(a.pane()).isEqualTo("%7");
        assertThat(a.route()).isEqualTo("tmux");
        assertThat(r.lines()).contains(tmuxPrefix() + "send-keys -t %7 -l -- read your mail\\;", tmuxPrefix() + "send-keys -t %7 Enter");
        assertThat(r.lines().getFirst()).isEqualTo(tmuxPrefix() + "list-panes -a -F #{pane_id}\t#{pane_pid}\t#{pane_in_mode}\t#{pane_tty}");
        assertThat(askedTtys).as("foreground checked first, then before the text and before Enter, on the pane's tty")
                .containsExactly("/dev/pts/7", "/dev/pts/7", "/dev/pts/7");
        int typedAt = indexOf(r, "-l");
        assertThat(r.lines().get(typedAt - 1)).as("proved again right before typing").contains("display-message -p -t %7 #{pane_id}");
        assertThat(r.lines().get(typedAt + 1)).as("and before Enter").contains("display-message -p -t %7 #{pane_id}");
        assertThat(a.phaseMillis().get("gap")).isGreaterThanOrEqualTo(35);
        assertThat(a.phaseMillis()).containsKeys("resolve", "draft_check", "type", "gap", "enter", "verify");
    }

    @Test
    void claudeGetsABracketedPasteThenEnter() {
        paneScreen = "│ > │";
        ScriptedRunner r = tmux();
        WakeAttempt a = waker(r).wake(target(ClientType.CLAUDE_CODE, TerminalLocation.NONE), "hello there");
        ScriptedRunner.Call load = r.calls.stream().filter(c -> c.argv().contains("load-buffer")).findFirst().orElseThrow();
        assertThat(load.stdin()).isEqualTo("hello there");
        String buffer = load.argv().get(load.argv().indexOf("-b") + 1);
        assertThat(buffer).startsWith("huddle-wake-");
        assertThat(r.lines()).contains(tmuxPrefix() + "paste-buffer -p -d -b " + buffer + " -t %7", tmuxPrefix() + "send-keys -t %7 Enter");
        assertThat(r.lines()).noneMatch(l -> l.contains(" -l "));
        assertThat(a.status()).isIn(WakeStatus.FIRED, WakeStatus.FIRED_UNCONFIRMED);
    }

    @Test
    void enterIsRetriedOnceThenUnconfirmed() {
        submitOnEnter = false;
        ScriptedRunner r = tmux();
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(a.enterPresses()).isEqualTo(2);
        assertThat(r.lines().stream().filter(l -> l.endsWith("send-keys -t %7 Enter")).count()).isEqualTo(2);
    }

    @Test
    void aDraftOrCopyModeMeansNoKeystrokes() {
        paneScreen = "› my half prompt";
        ScriptedRunner r = tmux();
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        assertThat(a.reason()).contains("14-character draft").doesNotContain("half");
        assertThat(r.lines()).noneMatch(l -> l.contains("send-keys") || l.contains("paste-buffer"));

        paneScreen = "› ";
        paneMode = "1";
        r = tmux();
        a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        assertThat(a.reason()).contains("copy mode");
        assertThat(r.lines()).noneMatch(l -> l.contains("send-keys"));
    }

    @Test
    void anAgentThatDoesNotOwnThePanesKeyboardGetsNoKeys() {
        foregroundAnswer = n -> Optional.of("less (pid 4242) has the foreground of /dev/pts/7, not agent codex (pid 1)");
        ScriptedRunner r = tmux();
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).isEqualTo("pane %7: less (pid 4242) has the foreground of /dev/pts/7, not agent codex (pid 1)");
        assertThat(a.pane()).isEqualTo("%7");
        assertThat(r.lines()).noneMatch(l -> l.contains("send-keys") || l.contains("paste-buffer") || l.contains("capture-pane"));

        // the agent loses the terminal while the text waits for Enter: Enter is withheld
        foregroundAnswer = n -> n <= 2 ? Optional.empty() : Optional.of("bash (pid 99) has the foreground of /dev/pts/7");
        askedTtys.clear();
        r = tmux();
        a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("bash (pid 99)").contains("Enter withheld");
        assertThat(r.lines()).anyMatch(l -> l.contains("send-keys -t %7 -l")).noneMatch(l -> l.endsWith("Enter"));
    }

    @Test
    void aPaneTheProcessTreeDoesNotProveIsNeverTyped() {
        // the only pane runs pid 2^22+1 (above pid_max): not an ancestor of this JVM
        ScriptedRunner r = new ScriptedRunner(c -> ScriptedRunner.ok("%3\t4194305\t0\n"));
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, new TerminalLocation("tmux", "s", "%3", "0", false)), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);
        a = waker(r).wake(target(ClientType.CODEX, new TerminalLocation("tmux", "s", "%9", "0", false)), "wake");
        assertThat(a.status()).as("the recorded pane is gone and no pane hosts the agent").isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(r.lines()).noneMatch(l -> l.contains("send-keys"));
    }

    @Test
    void aDeadOrReusedAgentPidIsRefusedBeforeAskingTmux() {
        ScriptedRunner r = tmux();
        AgentProcess reused = new AgentProcess(me.pid(), me.startMillis() - 3_600_000);
        WakeAttempt a = waker(r).wake(new TerminalTarget(reused, composer(ClientType.CODEX), new TerminalLocation("tmux", "s", "%7", "0", true)), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);
        assertThat(a.reason()).contains("another process");
        assertThat(r.calls).isEmpty();
    }

    @Test
    void noServerOrNoTmuxIsNoRoute() {
        ScriptedRunner r = new ScriptedRunner(c -> new CommandRunner.Result(1, "", "no server running on /tmp/x"));
        WakeAttempt a = waker(r).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).contains("no tmux server").contains("no server running");

        TmuxWaker.Options missing = TmuxWaker.Options.defaults();
        missing = new TmuxWaker.Options(missing.commandTimeout(), missing.verifyWindow(), 100, List.of(), "/nonexistent/tmux");
        a = new TmuxWaker(r, PROCESSES, (x, y) -> Optional.empty(), missing).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).contains("tmux is not installed");

        ScriptedRunner slow = new ScriptedRunner(c -> new CommandRunner.Result(CommandRunner.Result.TIMED_OUT, "", "tmux did not answer within 2000 ms"));
        assertThat(waker(slow).wake(target(ClientType.CODEX, TerminalLocation.NONE), "wake").status()).isEqualTo(WakeStatus.FAILED);
        assertThat(waker(slow).wake(target(ClientType.CODEX, TerminalLocation.NONE), "\u001B[2J\n").status()).isEqualTo(WakeStatus.FAILED);
    }

    @Test
    void theTargetKeepsOnlyTerminalVariables() {
        assertThat(target(ClientType.CODEX, null).terminalEnv()).containsOnlyKeys("TMUX");
    }

    @Test
    void theRealRunnerTimesOut() {
        CommandRunner.Result r = CommandRunner.system().run(List.of("sleep", "5"), Duration.ofMillis(200));
        assertThat(r.exit()).isEqualTo(CommandRunner.Result.TIMED_OUT);
        assertThat(CommandRunner.system().run(List.of("/nonexistent/x"), Duration.ofSeconds(1)).exit()).isEqualTo(CommandRunner.Result.NOT_STARTED);
        assertThat(CommandRunner.system().run(List.of("cat"), "in", Duration.ofSeconds(2)).stdout()).isEqualTo("in");
    }

    private static int indexOf(ScriptedRunner r, String token) {
        for (int i = 0; i < r.calls.size(); i++) if (r.calls.get(i).argv().contains(token)) return i;
        throw new AssertionError("no call with " + token);
    }
}
