package dev.huddle.it;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.Composer;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.ScreenWaker;
import dev.huddle.terminal.WakeAttempt;
import dev.huddle.terminal.TerminalTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GNU screen adapter against a real screen session in a private SCREENDIR (skipped where screen is not
 * installed; CI installs only tmux).
 */
class ScreenWakeIT {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    /** What {@link #fence} types: nothing the test or the waker types contains it. */
    private static final String FENCE = "zzfencezz";
    private Path tmp;
    private Path screenDir;
    private String sty;
    private CommandRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/screen")), "GNU screen not installed");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "hx-screen");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        screenDir = Files.createDirectory(tmp.resolve("s"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        CommandRunner system = CommandRunner.system();
        runner = (argv, stdin, timeout) -> { // the hub's screen would find the session through its own SCREENDIR
            List<String> wrapped = new ArrayList<>(List.of("env", "SCREENDIR=" + screenDir));
            wrapped.addAll(argv);
            return system.run(wrapped, stdin, timeout);
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sty != null) screen("-S", sty, "-X", "quit");
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anIdleShellInScreenIsWokenAndADraftIsLeftAlone() throws Exception {
        AgentProcess shell = startShell();
        ScreenWaker waker = new ScreenWaker(runner, PROCESSES, "/usr/bin/screen");
        TerminalTarget target = new TerminalTarget(shell, composer(ClientType.UNKNOWN), new TerminalLocation("screen", sty, null, null, false),
                Map.of("STY", sty, "WINDOW", "0"));

        Path woken = tmp.resolve("woken");
        WakeAttempt a = waker.wake(target, "touch " + woken);
        System.out.println("[wake timing] screen: " + a.status().wireName() + " in " + a.durationMillis() + " ms " + a.phaseMillis());
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        await(() -> Files.exists(woken), "the shell ran the line");

        screen("-S", sty, "-p", "0", "-X", "stuff", "echo half typed");
        await(() -> window().contains("$ echo half typed"), "draft typed");
        a = waker.wake(target, "touch " + tmp.resolve("never"));
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        fence();
        assertThat(Files.exists(tmp.resolve("never"))).isFalse();
        assertThat(window().lines().filter(l -> l.startsWith("$")).toList()).as("the first wake's line, then the draft, left alone")
                .containsExactly("$ touch " + woken, "$ echo half typed");
    }

    private AgentProcess startShell() throws Exception {
        String name = "hxwake" + ProcessHandle.current().pid();
        screen("-dmS", name, "env", "PS1=$ ", "bash", "--norc", "--noprofile");
        await(() -> screen("-ls").contains("." + name), "screen session");
        for (String line : screen("-ls").lines().toList()) {
            String t = line.strip();
            if (t.contains("." + name)) sty = t.split("\\s+")[0];
        }
        long server = Long.parseLong(sty.substring(0, sty.indexOf('.')));
        await(() -> ProcessHandle.of(server).map(h -> h.children().findAny().isPresent()).orElse(false), "shell started");
        long pid = ProcessHandle.of(server).orElseThrow().children().findFirst().orElseThrow().pid();
        await(() -> window().startsWith("$"), "bash's prompt");
        return PROCESSES.describe(pid).orElseThrow();
    }

    private String screen(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/screen"));
        argv.addAll(List.of(args));
        CommandRunner.Result r = runner.run(argv, Duration.ofSeconds(5));
        return r.stdout() + r.stderr();
    }

    /** The window's text, from {@code hardcopy} (what the waker reads too). */
    private String window() {
        Path copy = tmp.resolve("window.txt");
        try {
            Files.deleteIfExists(copy);
            screen("-S", sty, "-p", "0", "-X", "hardcopy", copy.toString());
            await(() -> Files.exists(copy), "screen's hardcopy");
            return Files.readString(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's composer, as its package describes it. */
    private static Composer composer(ClientType client) {
        return AgentClients.installed().of(client).map(AgentClient::composer).orElse(Composer.UNKNOWN);
    }

    /**
     * Types {@link #FENCE} into the window, waits until the shell shows it, then erases it and waits until it is gone.
     * The shell reads keys in the order they came, so once it shows the fence it has read (and run) everything typed
     * before, the waker's keys too: a check that nothing was typed needs no pause.
     */
    private void fence() {
        screen("-S", sty, "-p", "0", "-X", "stuff", FENCE);
        await(() -> window().contains(FENCE), "the shell read the keys typed before the fence");
        screen("-S", sty, "-p", "0", "-X", "stuff", "\\177".repeat(FENCE.length()));
        await(() -> !window().contains(FENCE), "the fence erased");
    }

    private static void await(BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
