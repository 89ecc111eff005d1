package dev.huddle.it;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.it.support.FakeTui;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.Composer;
import dev.huddle.terminal.ProcStat;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TmuxWaker;
import dev.huddle.terminal.WakeAttempt;
import dev.huddle.terminal.TerminalTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tmux wake route against a fake TUI that reproduces the real submit hazards, in a private tmux server
 * ({@code -S <tmp>/tmux.sock}, killed after each test) so the user's tmux is never touched.
 */
class TmuxWakeIT {
    private static final List<String> DURATIONS = Collections.synchronizedList(new ArrayList<>());
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    /** What {@link #fence} types: nothing a test or a waker types contains it. */
    private static final String FENCE = "zzfencezz";

    private Path tmp;
    private Path socket;
    private TmuxWaker waker;

    /** A program in a pane: its pane id, its process, and (for the fake TUI) its submission log. */
    record Tui(String session, String pane, AgentProcess process, Path log) {
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null, "tmux not installed");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "hx-wake");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        socket = tmp.resolve("tmux.sock");
        waker = new TmuxWaker(CommandRunner.system(), PROCESSES, TmuxWaker.Options.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        tmux("kill-server");
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterAll
    static void report() {
        DURATIONS.forEach(d -> System.out.println("[wake timing] " + d));
    }

    @Test
    void theCodexRecipeSubmitsOnceWhereANaiveEnterDoesNot() throws Exception {
        Tui tui = startTui("cx", "codex");

        // the hazard: text then Enter right away is a paste burst; the Enter becomes a newline
        tmux("send-keys", "-t", tui.pane(), "-l", "naive text");
        tmux("send-keys", "-t", tui.pane(), "Enter");
        fence(tui);
        assertThat(submissions(tui)).as("the fake TUI swallowed the naive Enter").isEmpty();
        assertThat(capture(tui)).contains("› naive text");
        tmux("send-keys", "-t", tui.pane(), "C-u");
        await(() -> capture(tui).contains("Ask me anything"), "draft cleared");

        String text = "huddle: you have 1 message; call read_my_messages";
        WakeAttempt a = wake(tui, ClientType.CODEX, text, "codex");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        assertThat(a.enterPresses()).isEqualTo(1);
        assertThat(a.pane()).isEqualTo(tui.pane());
        assertThat(submissions(tui)).containsExactly(text);
        assertThat(a.durationMillis()).isLessThan(1_500); // target 700 ms; the figure is printed
    }

    @Test
    void theClaudeRecipePastesAMultiWordTextAndSubmitsItOnce() throws Exception {
        Tui tui = startTui("cl", "claude");
        String text = "huddle: peer codex-2 answered your ask; call read_my_messages, then continue";
        WakeAttempt a = wake(tui, ClientType.CLAUDE_CODE, text, "claude");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        assertThat(submissions(tui)).containsExactly(text);
        assertThat(a.durationMillis()).isLessThan(1_500);
    }

    @Test
    void aHalfTypedDraftIsLeftAlone() throws Exception {
        Tui shell = startShell("sh1");
        tmux("send-keys", "-t", shell.pane(), "-l", "echo half typed");
        await(() -> capture(shell).contains("$ echo half typed"), "draft typed");
        WakeAttempt a = wake(shell, ClientType.UNKNOWN, "huddle: wake up", "shell draft");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        fence(shell);
        assertThat(capture(shell).lines().filter(l -> l.startsWith("$")).toList()).containsExactly("$ echo half typed");

        Tui tui = startTui("cx2", "codex");
        tmux("send-keys", "-t", tui.pane(), "-l", "my own prompt");
        await(() -> capture(tui).contains("› my own prompt"), "draft typed");
        a = wake(tui, ClientType.CODEX, "huddle: wake up", "codex draft");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        assertThat(a.reason()).doesNotContain("my own prompt");
        fence(tui);
        assertThat(submissions(tui)).isEmpty();
        assertThat(capture(tui)).contains("› my own prompt").doesNotContain("wake up");
    }

    @Test
    void anIdleShellPromptGetsTheLiteralRecipe() throws Exception {
        Tui shell = startShell("sh2");
        Path woken = tmp.resolve("woken");
        WakeAttempt a = wake(shell, ClientType.UNKNOWN, "touch " + woken, "shell");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        await(() -> Files.exists(woken), "the shell ran the line");
    }

    @Test
    void aKilledPaneWhoseIdCameBackIsRefused() throws Exception {
        Tui old = startTui("s", "codex");
        tmux("kill-server");
        await(() -> !PROCESSES.isAlive(old.process()), "the old agent died with its pane");
        Tui fresh = startTui("s", "codex");
        assertThat(fresh.pane()).as("a restarted server hands out the same pane id").isEqualTo(old.pane());

        WakeAttempt a = wake(old, ClientType.CODEX, "huddle: wake up", "reused pane");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);

        // the same pid with another start time is another process (pid reuse)
        AgentProcess impostor = new AgentProcess(fresh.process().pid(), fresh.process().startMillis() - 3_600_000);
        a = waker.wake(new TerminalTarget(impostor, composer(ClientType.CODEX), location(fresh), tmuxEnv()), "huddle: wake up");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);
        fence(fresh);
        assertThat(submissions(fresh)).isEmpty();
        assertThat(capture(fresh)).doesNotContain("wake up");
    }

    @Test
    void anAgentInNoPaneHasNoRouteAndAStalePaneIsRefused() throws Exception {
        Tui tui = startTui("cx3", "codex");
        Process outside = new ProcessBuilder("sleep", "60").start();
        try {
            AgentProcess agent = PROCESSES.describe(outside.pid()).orElseThrow();
            WakeAttempt a = waker.wake(new TerminalTarget(agent, composer(ClientType.CODEX), TerminalLocation.NONE, tmuxEnv()), "huddle: wake up");
            assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
            assertThat(a.reason()).contains("not inside any pane");

            // the registry still believes the agent sits in the TUI's pane: the process tree says otherwise
            a = waker.wake(new TerminalTarget(agent, composer(ClientType.CODEX), location(tui), tmuxEnv()), "huddle: wake up");
            assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);
        } finally {
            outside.destroyForcibly();
        }
        fence(tui);
        assertThat(submissions(tui)).isEmpty();
    }

    @Test
    void noTmuxServerIsNoRoute() throws Exception {
        Process outside = new ProcessBuilder("sleep", "60").start();
        try {
            AgentProcess agent = PROCESSES.describe(outside.pid()).orElseThrow();
            TmuxWaker lonely = new TmuxWaker(CommandRunner.system(), PROCESSES,
                    TmuxWaker.Options.defaults().withServerArgs(List.of("-S", tmp.resolve("nobody.sock").toString())));
            WakeAttempt a = lonely.wake(new TerminalTarget(agent, composer(ClientType.CODEX), TerminalLocation.NONE), "huddle: wake up");
            assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
            assertThat(a.reason()).contains("no tmux server");
        } finally {
            outside.destroyForcibly();
        }
    }

    // --- the agent must own the pane's keyboard ---

    @Test
    void anAgentStartedFromAShellIsWokenInTheForegroundAndLeftAloneOnceSuspended() throws Exception {
        Tui tui = startTuiFromShell("job", "codex");
        String text = "huddle: you have 1 message; call read_my_messages";
        WakeAttempt a = wake(tui, ClientType.CODEX, text, "codex job of a shell");
        assertThat(a.status()).as("a shell job leads its own foreground group: " + a.reason()).isEqualTo(WakeStatus.FIRED);
        assertThat(submissions(tui)).containsExactly(text);

        // ^Z: the job stops and the shell takes the terminal back, its prompt empty and ready to run what it gets
        new ProcessBuilder("kill", "-TSTP", Long.toString(tui.process().pid())).start().waitFor();
        await(() -> stat(tui.process().pid()).map(ProcStat::stopped).orElse(false), "the agent stopped");
        await(() -> capture(tui).contains("Stopped"), "the shell reports the stopped job");
        a = wake(tui, ClientType.CODEX, "huddle: wake up", "suspended codex job");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("is stopped");
        assertThat(ranBeforeFence(tui)).as("what the shell ran last").doesNotContain("wake up");
        assertThat(capture(tui)).doesNotContain("wake up");
        assertThat(submissions(tui)).containsExactly(text);
    }

    @Test
    void anAgentWithAProgramInTheForegroundIsNotTypedUntilItHasTheTerminalBack() throws Exception {
        Tui shell = startShell("busyfg"); // the shell is the agent here; sleep is the child that took the terminal
        tmux("send-keys", "-t", shell.pane(), "-l", "sleep 30");
        tmux("send-keys", "-t", shell.pane(), "Enter");
        await(() -> child(shell, "sleep").isPresent(), "sleep runs in the foreground");
        long sleepPid = child(shell, "sleep").orElseThrow();
        await(() -> stat(shell.process().pid()).map(s -> s.tpgid() == sleepPid).orElse(false), "sleep has the terminal");

        Path woken = tmp.resolve("woken");
        WakeAttempt a = wake(shell, ClientType.UNKNOWN, "touch " + woken, "shell behind sleep");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("sleep (pid " + sleepPid + ") has the foreground of /dev/pts/")
                .contains("not agent bash (pid " + shell.process().pid() + ")");

        // typed keys would have waited in the terminal and run once sleep ended: none were typed
        tmux("send-keys", "-t", shell.pane(), "C-c");
        await(() -> stat(shell.process().pid()).map(s -> s.tpgid() == s.pgrp()).orElse(false), "the shell has the terminal back");
        fence(shell);
        assertThat(woken).doesNotExist();

        a = wake(shell, ClientType.UNKNOWN, "touch " + woken, "shell in front again");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        await(() -> Files.exists(woken), "the shell ran the line");
    }

    @Test
    void aProcessOfTheForegroundJobThatDoesNotReadTheTerminalIsNotTyped() throws Exception {
        // Its job has the terminal, but its input is a pipe: keys would go to the shell once the job ends (the case
        // of a helper process or a non-interactive client in someone else's foreground job, like `huddle demo`'s).
        Tui shell = startShell("piped");
        tmux("send-keys", "-t", shell.pane(), "-l", "echo | sleep 60");
        tmux("send-keys", "-t", shell.pane(), "Enter");
        await(() -> child(shell, "sleep").isPresent(), "the pipeline runs");
        long sleepPid = child(shell, "sleep").orElseThrow();
        await(() -> stat(sleepPid).map(s -> s.tpgid() == s.pgrp()).orElse(false), "its job has the terminal");
        AgentProcess piped = PROCESSES.describe(sleepPid).orElseThrow();

        Path woken = tmp.resolve("woken");
        WakeAttempt a = waker.wake(new TerminalTarget(piped, composer(ClientType.UNKNOWN), location(shell), tmuxEnv()), "touch " + woken);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("agent sleep (pid " + sleepPid + ") does not read /dev/pts/").contains("its standard input is pipe:");
        tmux("send-keys", "-t", shell.pane(), "C-c");
        await(() -> stat(shell.process().pid()).map(s -> s.tpgid() == s.pgrp()).orElse(false), "the shell has the terminal back");
        fence(shell);
        assertThat(woken).doesNotExist();
    }

    @Test
    void anAgentDetachedFromThePanesTerminalIsNotTyped() throws Exception {
        // Codex 0.157+ runs threads (and their MCP servers) in an app-server daemon: a child of the TUI in its own
        // session, with no terminal. The process tree puts it in the TUI's pane; keys there would reach the TUI.
        Tui shell = startShell("detached");
        tmux("send-keys", "-t", shell.pane(), "-l", "setsid -w sleep 60 &");
        tmux("send-keys", "-t", shell.pane(), "Enter");
        await(() -> descendant(shell, "sleep").isPresent(), "the detached process runs");
        AgentProcess daemon = PROCESSES.describe(descendant(shell, "sleep").orElseThrow()).orElseThrow();
        await(() -> capture(shell).lines().anyMatch(l -> l.strip().equals("$")), "the prompt is back");

        Path woken = tmp.resolve("woken");
        WakeAttempt a = waker.wake(new TerminalTarget(daemon, composer(ClientType.UNKNOWN), location(shell), tmuxEnv()), "touch " + woken);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("has no controlling terminal");
        fence(shell);
        assertThat(woken).doesNotExist();
    }

    // --- helpers ---

    private static java.util.Optional<ProcStat> stat(long pid) {
        try {
            return ProcStat.parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<Long> child(Tui tui, String command) {
        return ProcessHandle.of(tui.process().pid()).stream().flatMap(ProcessHandle::children)
                .filter(h -> h.info().command().orElse("").endsWith("/" + command)).map(ProcessHandle::pid).findFirst();
    }

    private static java.util.Optional<Long> descendant(Tui tui, String command) {
        return ProcessHandle.of(tui.process().pid()).stream().flatMap(ProcessHandle::descendants)
                .filter(h -> h.info().command().orElse("").endsWith("/" + command)).map(ProcessHandle::pid).findFirst();
    }

    private WakeAttempt wake(Tui tui, ClientType client, String text, String label) {
        WakeAttempt a = waker.wake(new TerminalTarget(tui.process(), composer(client), location(tui), tmuxEnv()), text);
        DURATIONS.add(label + ": " + a.status().wireName() + " in " + a.durationMillis() + " ms " + a.phaseMillis()
                + " enters=" + a.enterPresses());
        return a;
    }

    private TerminalLocation location(Tui tui) {
        return new TerminalLocation("tmux", tui.session(), tui.pane(), "0", true);
    }

    /** What the agent's front would report: TMUX names the server socket. */
    private Map<String, String> tmuxEnv() {
        return Map.of("TMUX", socket + ",1,0");
    }

    private Tui startTui(String session, String mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of(FakeTui.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path log = tmp.resolve(session + "-" + mode + ".log");
        Path pidFile = tmp.resolve(session + "-" + mode + ".pid");
        Files.deleteIfExists(pidFile);
        String cmd = "stty raw -echo; " + java + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp '" + classes + "' "
                + FakeTui.class.getName() + " " + mode + " '" + log + "' '" + pidFile + "'";
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", "/bin/sh", "-c", cmd);
        String pane = tmux("display-message", "-p", "-t", session, "#{pane_id}").strip();
        Tui probe = new Tui(session, pane, null, log);
        await(() -> Files.exists(pidFile) && capture(probe).contains("Ask me anything"), "fake TUI drawn");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return new Tui(session, pane, PROCESSES.describe(pid).orElseThrow(), log);
    }

    /** The fake TUI as a job of an interactive shell (job control: it leads its own foreground process group). */
    private Tui startTuiFromShell(String session, String mode) throws Exception {
        Tui shell = startShell(session);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of(FakeTui.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path log = tmp.resolve(session + "-" + mode + ".log");
        Path pidFile = tmp.resolve(session + "-" + mode + ".pid");
        tmux("send-keys", "-t", shell.pane(), "-l", "stty raw -echo; " + java + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp '"
                + classes + "' " + FakeTui.class.getName() + " " + mode + " '" + log + "' '" + pidFile + "'");
        tmux("send-keys", "-t", shell.pane(), "Enter");
        Tui probe = new Tui(session, shell.pane(), null, log);
        await(() -> Files.exists(pidFile) && capture(probe).contains("Ask me anything"), "fake TUI drawn");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return new Tui(session, shell.pane(), PROCESSES.describe(pid).orElseThrow(), log);
    }

    private Tui startShell(String session) throws Exception {
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", "env", "PS1=$ ", "bash", "--norc", "--noprofile");
        String[] f = tmux("display-message", "-p", "-t", session, "#{pane_id} #{pane_pid}").strip().split(" ");
        Tui shell = new Tui(session, f[0], PROCESSES.describe(Long.parseLong(f[1])).orElseThrow(), null);
        await(() -> capture(shell).startsWith("$"), "shell prompt");
        return shell;
    }

    private List<String> submissions(Tui tui) throws IOException {
        return Files.exists(tui.log()) ? Files.readAllLines(tui.log(), StandardCharsets.UTF_8) : List.of();
    }

    private String capture(Tui tui) {
        try {
            return tmux("capture-pane", "-p", "-t", tui.pane());
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Types {@link #FENCE} into the pane, waits until the program shows it, then erases it and waits until it is gone.
     * Keys reach a program in the order they were sent, so once it shows the fence it has read every key sent before
     * (a waker's too), and what its screen, its submission log and the files it wrote show is final; the draft is then
     * as it was. A check that nothing was typed needs no pause.
     */
    private void fence(Tui tui) throws Exception {
        tmux("send-keys", "-t", tui.pane(), "-l", FENCE);
        await(() -> capture(tui).contains(FENCE), "the program read the keys sent before the fence");
        List<String> erase = new ArrayList<>(List.of("send-keys", "-t", tui.pane()));
        for (int i = 0; i < FENCE.length(); i++) erase.add("BSpace");
        tmux(erase.toArray(String[]::new));
        await(() -> !capture(tui).contains(FENCE), "the fence erased");
        }

    /**
     * {@link #fence} for a shell that does not echo what it reads (a stopped job left its terminal raw): a command that
     * writes the shell's last two history lines to a file. Once the file is there the shell has read and run every key
     * typed before; the line before the fence's own is what it ran last.
     */
    private String ranBeforeFence(Tui shell) throws Exception {
        Path history = tmp.resolve("history-at-fence");
        tmux("send-keys", "-t", shell.pane(), "-l", "history 2 > " + history);
        tmux("send-keys", "-t", shell.pane(), "Enter");
        await(() -> Files.exists(history) && Files.readString(history).contains("history 2"), "the shell ran the fence");
        return Files.readString(history);
    }

    private static void await(Callable<Boolean> condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TMUX"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** The client's composer, as its package describes it. */
    private static Composer composer(ClientType client) {
        return AgentClients.installed().of(client).map(AgentClient::composer).orElse(Composer.UNKNOWN);
    }
}
