package dev.huddle.cli.watch;

import dev.huddle.cli.view.DiagnoseView;
import dev.huddle.cli.view.ReadView;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.TerminalRef;
import dev.huddle.protocol.control.SendReceipt;
import org.jline.utils.AttributedString;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What each key does in each mode of the dashboard: select, compose and send, nudge, read, diagnose, jump to a pane,
 * scroll an overlay. Runs on the UI thread; hub requests run on their own threads and come back as UI events.
 */
final class KeyActions {
    /** The dashboard as the keys see it. */
    interface Ui {
        CockpitSnapshot snapshot();

        int cols();

        int rows();

        void clearScreen();

        void quit();

        /** Runs {@code action} on the UI thread. */
        void post(Runnable action);
    }

    private final WatchState st;
    private final HubActions actions;
    private final Ui ui;

    KeyActions(WatchState st, HubActions actions, Ui ui) {
        this.st = st;
        this.actions = actions;
        this.ui = ui;
    }

    void key(Keys.Key k) {
        switch (st.mode()) {
            case COMPOSE -> composeKey(k);
            case OVERLAY -> overlayKey(k);
            case BOARD -> boardKey(k);
        }
    }

    private void boardKey(Keys.Key k) {
        CockpitSnapshot snapshot = ui.snapshot();
        AgentStatus sel = st.selectedAgent(snapshot);
        if (k.kind() == Keys.Kind.CTRL_C || k.kind() == Keys.Kind.CTRL_D || k.is('q') || k.is('Q')) {
            ui.quit();
        } else if (k.kind() == Keys.Kind.UP || k.is('k')) {
            move(-1);
        } else if (k.kind() == Keys.Kind.DOWN || k.is('j')) {
            move(1);
        } else if (k.kind() == Keys.Kind.HOME || k.is('g')) {
            move(Integer.MIN_VALUE);
        } else if (k.kind() == Keys.Kind.END || k.is('G')) {
            move(Integer.MAX_VALUE);
        } else if (k.kind() == Keys.Kind.PAGE_UP) {
            move(-10);
        } else if (k.kind() == Keys.Kind.PAGE_DOWN) {
            move(10);
        } else if (k.kind() == Keys.Kind.CTRL_L) {
            ui.clearScreen();
        } else if (k.is('?') || k.is('h')) {
            st.overlay(new WatchState.Overlay("help", OverlayText.help(), 0));
        } else if (k.is('d')) {
            st.notice("asking the hub for its diagnosis…", false, Instant.now());
            background("diagnose", () -> {
                List<AttributedString> lines = OverlayText.lines(DiagnoseView.render(actions.diagnose()));
                return () -> st.notice(null, false, null).overlay(new WatchState.Overlay("huddle diagnose (last 24 h)", lines, 0));
            });
        } else if (sel == null && (k.is('s') || k.is('n') || k.is('r') || k.is('t') || k.kind() == Keys.Kind.ENTER)) {
            st.notice("no agent selected", true, Instant.now());
        } else if (k.is('s') || k.kind() == Keys.Kind.ENTER) {
            st.compose(sel, "");
        } else if (k.is('n')) {
            st.notice("nudging " + sel.shortName() + "…", false, Instant.now());
            String project = snapshot.projectOf(sel);
            background("nudge", () -> {
                SendReceipt r = actions.nudge(sel, project);
                return () -> st.notice("nudged " + sel.shortName() + " (message " + r.firstMessageId() + "): it reads it at its next turn"
                        + (sel.online() ? "" : "; it is offline, so the nudge waits"), false, Instant.now());
            });
        } else if (k.is('r')) {
            st.notice("reading " + sel.shortName() + "'s transcript…", false, Instant.now());
            String project = snapshot.projectOf(sel);
            background("read", () -> {
                List<AttributedString> lines = OverlayText.lines(ReadView.render(actions.read(sel, project), false));
                WatchState.Overlay o = new WatchState.Overlay("transcript of " + sel.label() + " (newest last)", lines, Integer.MAX_VALUE);
                return () -> st.notice(null, false, null).overlay(o);
            });
        } else if (k.is('t')) {
            jump(sel);
        }
    }

    private void composeKey(Keys.Key k) {
        switch (k.kind()) {
            case ESCAPE, CTRL_C -> st.board();
            case ENTER -> {
                AgentStatus to = st.composeTo;
                String body = st.input().strip();
                st.board();
                if (body.isEmpty() || to == null) return;
                st.notice("sending to " + to.shortName() + "…", false, Instant.now());
                String project = ui.snapshot().projectOf(to);
                background("send", () -> {
                    SendReceipt r = actions.send(to, project, body);
                    return () -> st.notice("sent to " + to.shortName() + " (message " + r.firstMessageId() + ")"
                            + (to.online() ? "" : ": offline, queued until it returns"), false, Instant.now());
                });
            }
            case BACKSPACE -> {
                if (!st.input.isEmpty()) st.input.setLength(st.input.offsetByCodePoints(st.input.length(), -1));
            }
            case CTRL_U -> st.input.setLength(0);
            case CTRL_W -> {
                String s = st.input.toString().stripTrailing();
                int cut = s.lastIndexOf(' ') + 1;
                st.input.setLength(cut);
            }
            case TAB -> st.input.append(' ');
            case CHAR -> {
                if (st.input.length() < 8192) st.input.appendCodePoint(k.ch());
            }
            default -> { }
        }
    }

    private void overlayKey(Keys.Key k) {
        WatchState.Overlay o = st.overlay();
        int rows = ui.rows();
        int total = Screen.overlayLines(o, ui.cols());
        int page = Math.max(1, rows - 4);
        int max = Math.max(0, total - (rows - 3));
        int at = Math.min(o.scroll(), max);
        if (k.kind() == Keys.Kind.ESCAPE || k.is('q') || k.kind() == Keys.Kind.CTRL_C) {
            st.board();
            return;
        }
        int to = switch (k.kind()) {
            case UP -> at - 1;
            case DOWN, ENTER -> at + 1;
            case PAGE_UP -> at - page;
            case PAGE_DOWN -> at + page;
            case HOME -> 0;
            case END -> max;
            case CHAR -> k.is('k') ? at - 1 : k.is('j') ? at + 1 : k.is(' ') ? at + page : k.is('b') ? at - page
                    : k.is('g') ? 0 : k.is('G') ? max : at;
            default -> at;
        };
        st.overlay(o.withScroll(Math.max(0, Math.min(max, to))));
    }

    private void move(int delta) {
        CockpitSnapshot snapshot = ui.snapshot();
        List<AgentStatus> agents = snapshot.agents();
        if (agents.isEmpty()) return;
        AgentStatus sel = st.selectedAgent(snapshot);
        int i = agents.indexOf(sel);
        long next = delta == Integer.MIN_VALUE ? 0 : delta == Integer.MAX_VALUE ? agents.size() - 1 : (long) i + delta;
        st.select(agents.get((int) Math.max(0, Math.min(agents.size() - 1, next))).handle());
    }

    /** {@code t}: to the agent's tmux pane (only one the process tree proved), or what to type to get there. */
    private void jump(AgentStatus a) {
        TerminalRef pane = a.tmuxPane();
        if (pane == null) {
            st.notice(a.shortName() + " runs in no tmux pane huddle could prove" + (a.terminal() == null ? "" : " (" + a.terminal().label() + ")"),
                    true, Instant.now());
            return;
        }
        String attach = "tmux attach -t " + (pane.session() == null ? pane.pane() : pane.session()) + " \\; select-window -t " + pane.pane()
                + " \\; select-pane -t " + pane.pane();
        String tmuxEnv = System.getenv("TMUX");
        if (tmuxEnv == null || tmuxEnv.isEmpty()) {
            st.notice("not inside tmux: run  " + attach, false, Instant.now());
            return;
        }
        background("jump", () -> {
            Process p = new ProcessBuilder("tmux", "switch-client", "-t", pane.pane(), ";", "select-window", "-t", pane.pane(), ";",
                    "select-pane", "-t", pane.pane()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean ok = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
            return () -> st.notice(ok ? "switched to " + a.shortName() + "'s pane " + pane.label()
                    : "tmux could not switch (" + (out.isEmpty() ? "another tmux server?" : out) + "); run  " + attach, !ok, Instant.now());
        });
    }

    @FunctionalInterface
    private interface Job {
        Runnable call() throws Exception;
    }

    /** Runs a hub request off the UI thread; its outcome comes back as an event. */
    private void background(String what, Job job) {
        Thread.ofVirtual().name("huddle-watch-" + what).start(() -> {
            Runnable done;
            try {
                done = job.call();
            } catch (ControlRefusedException e) {
                done = () -> st.notice(what + " refused: " + HubActions.reason(e), true, Instant.now());
            } catch (Exception e) {
                done = () -> st.notice(what + " failed: " + e.getMessage(), true, Instant.now());
            }
            ui.post(done);
        });
    }
}
