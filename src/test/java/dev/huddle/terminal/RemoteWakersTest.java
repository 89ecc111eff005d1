package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.core.wake.WakeStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact commands the WezTerm, kitty and screen adapters run, against scripted terminals. */
class RemoteWakersTest {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    /** This JVM stands in for the agent; it has no terminal, so the foreground rule is answered by the test. */
    private static final Foreground OWNS_KEYBOARD = (agent, tty) -> Optional.empty();
    private final AgentProcess me = PROCESSES.describe(ProcessHandle.current().pid()).orElseThrow();
    private final long parent = ProcessHandle.current().parent().orElseThrow().pid();

    private static ScriptedRunner screenShows(String text) {
        return new ScriptedRunner(c -> {
            if (c.argv().contains("hardcopy")) {
                try {
                    Files.writeString(Path.of(c.argv().getLast()), text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return ScriptedRunner.ok(c.argv().contains("get-text") ? text : "");
        });
    }

    @Test
    void weztermSendsTextThenACarriageReturnToTheRecordedPane() {
        ScriptedRunner r = screenShows("› "); // Codex's empty composer (a known client without it shows something else)
        WakeAttempt a = new WezTermWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/wezterm").wake(
                new TerminalTarget(me, Composers.of(ClientType.CODEX), new TerminalLocation("wezterm", null, "4", null, false)), "wake up");
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(a.reason()).contains("not proven by the process tree");
        assertThat(r.lines()).containsExactly(
                "/bin/wezterm cli get-text --pane-id 4",
                "/bin/wezterm cli send-text --pane-id 4 --no-paste -- wake up",
                "/bin/wezterm cli send-text --pane-id 4 --no-paste -- \r",
                "/bin/wezterm cli get-text --pane-id 4");
        assertThat(a.phaseMillis().get("gap")).as("Codex gap").isGreaterThanOrEqualTo(450);

        r = screenShows("│ > │");
        new WezTermWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/wezterm").wake(new TerminalTarget(me, Composers.of(ClientType.CLAUDE_CODE),
                TerminalLocation.NONE, Map.of("WEZTERM_PANE", "4")), "hi");
        assertThat(r.lines()).as("Claude gets WezTerm's bracketed paste").contains("/bin/wezterm cli send-text --pane-id 4 -- hi");
    }

    @Test
    void kittyNeedsItsListenAddressAndEscapesBackslashes() {
        ScriptedRunner r = screenShows("$ ");
        TerminalLocation where = new TerminalLocation("kitty", null, "12", null, false);
        WakeAttempt a = new KittyWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/kitty").wake(new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), where), "x");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).contains("KITTY_LISTEN_ON");

        a = new KittyWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/kitty").wake(new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), where,
                Map.of("KITTY_LISTEN_ON", "unix:/tmp/kitty-1")), "C:\\path\\n");
        assertThat(a.status()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(r.lines()).containsExactly(
                "/bin/kitty @ --to unix:/tmp/kitty-1 get-text --match id:12",
                "/bin/kitty @ --to unix:/tmp/kitty-1 send-text --match id:12 -- C:\\\\path\\\\n",
                "/bin/kitty @ --to unix:/tmp/kitty-1 send-text --match id:12 -- \\r",
                "/bin/kitty @ --to unix:/tmp/kitty-1 get-text --match id:12");
    }

    @Test
    void screenStuffsEscapedTextIntoTheWindowOfAnAncestorSession() {
        ScriptedRunner r = screenShows("$ ");
        String sty = parent + ".work";
        WakeAttempt a = new ScreenWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/screen").wake(new TerminalTarget(me, Composers.of(ClientType.UNKNOWN),
                new TerminalLocation("screen", sty, null, null, false), Map.of("STY", sty, "WINDOW", "2")), "cost $5 ^C \\o/");
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED_UNCONFIRMED);
        assertThat(a.pane()).isEqualTo(sty + ":2");
        List<String> lines = r.lines();
        assertThat(lines.get(0)).startsWith("/bin/screen -S " + sty + " -p 2 -X hardcopy /");
        assertThat(lines.get(1)).isEqualTo("/bin/screen -S " + sty + " -p 2 -X stuff cost \\$5 \\^C \\\\o/");
        assertThat(lines.get(2)).isEqualTo("/bin/screen -S " + sty + " -p 2 -X stuff \\015");

        a = new ScreenWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/screen").wake(new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), TerminalLocation.NONE,
                Map.of("STY", "4194305.other", "WINDOW", "0")), "x");
        assertThat(a.status()).as("a session that is not an ancestor").isEqualTo(WakeStatus.SKIPPED_WRONG_PANE);

        a = new ScreenWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/screen").wake(new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), TerminalLocation.NONE,
                Map.of("STY", sty)), "x");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
    }

    @Test
    void aDraftOnARemoteTerminalBlocksTheWake() {
        ScriptedRunner r = screenShows("output\n$ git comm\n\n");
        WakeAttempt a = new WezTermWaker(r, PROCESSES, OWNS_KEYBOARD, "/bin/wezterm").wake(
                new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), new TerminalLocation("wezterm", null, "4", null, false)), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_HUMAN_TYPING);
        assertThat(r.lines()).noneMatch(l -> l.contains("send-text"));
    }

    @Test
    void anAgentThatDoesNotOwnItsKeyboardGetsNoKeys() {
        ScriptedRunner r = screenShows("$ ");
        Foreground behindLess = (agent, tty) -> Optional.of("less (pid 77) has the foreground of /dev/pts/4, not agent codex (pid 5)");
        WakeAttempt a = new WezTermWaker(r, PROCESSES, behindLess, "/bin/wezterm").wake(
                new TerminalTarget(me, Composers.of(ClientType.CODEX), new TerminalLocation("wezterm", null, "4", null, false)), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("less (pid 77)");
        assertThat(r.lines()).noneMatch(l -> l.contains("send-text"));

        // the agent loses the terminal between the text and Enter: Enter is withheld
        AtomicInteger checks = new AtomicInteger();
        Foreground flips = (agent, tty) -> checks.incrementAndGet() <= 2 ? Optional.empty() : Optional.of("vim (pid 9) has the foreground");
        r = screenShows("$ ");
        a = new WezTermWaker(r, PROCESSES, flips, "/bin/wezterm").wake(
                new TerminalTarget(me, Composers.of(ClientType.UNKNOWN), new TerminalLocation("wezterm", null, "4", null, false)), "wake");
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NOT_FOREGROUND);
        assertThat(a.reason()).contains("vim (pid 9)").contains("Enter withheld");
        assertThat(r.lines()).containsExactly("/bin/wezterm cli get-text --pane-id 4", "/bin/wezterm cli send-text --pane-id 4 --no-paste -- wake");
    }

    @Test
    void theDispatcherRoutesByTerminal() {
        TerminalWaker tmux = (t, x) -> WakeAttempt.noRoute("tmux", "t");
        TerminalWaker wez = (t, x) -> WakeAttempt.noRoute("wezterm", "w");
        TerminalWaker kitty = (t, x) -> WakeAttempt.noRoute("kitty", "k");
        TerminalWaker screen = (t, x) -> WakeAttempt.noRoute("screen", "s");
        TerminalWakers all = new TerminalWakers(tmux, wez, kitty, screen);
        assertThat(all.wake(new TerminalTarget(me, null, new TerminalLocation("tmux", "s", "%1", "0", true)), "x").route()).isEqualTo("tmux");
        assertThat(all.wake(new TerminalTarget(me, null, TerminalLocation.NONE, Map.of("TMUX", "/tmp/s,1,0")), "x").route()).isEqualTo("tmux");
        assertThat(all.wake(new TerminalTarget(me, null, new TerminalLocation("kitty", null, "1", null, false)), "x").route()).isEqualTo("kitty");
        assertThat(all.wake(new TerminalTarget(me, null, new TerminalLocation("screen", "1.x", null, null, false)), "x").route()).isEqualTo("screen");
        assertThat(all.wake(new TerminalTarget(me, null, new TerminalLocation("wezterm", null, "1", null, false)), "x").route()).isEqualTo("wezterm");
        WakeAttempt none = all.wake(new TerminalTarget(me, null, new TerminalLocation("zellij", "z", null, null, false)), "x");
        assertThat(none.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(none.reason()).contains("zellij");
    }
}
