package dev.huddle.cli;

import dev.huddle.cli.watch.CockpitStream;
import dev.huddle.cli.watch.HubActions;
import dev.huddle.cli.watch.Screen;
import dev.huddle.cli.watch.WatchState;
import dev.huddle.cli.watch.WatchUi;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.ControlRequest;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code huddle watch}: the live terminal dashboard of a project's agents, driven by snapshots the hub pushes. */
@Command(name = "watch", sortOptions = false,
        header = "A live dashboard of this project's agents in the terminal.",
        description = {"A live dashboard of this project's agents: name, client, busy/idle and for how long, online,",
                "unread messages, open asks and obligations, who waits for whom and how long (wait cycles marked),",
                "each agent's latest tool call, and the newest messages. The hub pushes every change; nothing polls.",
                "Keys: ↑/↓ select, s send a message, n nudge, r read its transcript, t jump to its tmux pane,",
                "d diagnose, ? help, q quit."},
        footer = {"", "Exit codes: 0 quit, 1 the hub refused (an unknown project, …), 2 usage (or not a terminal without --once),",
                "3 no hub running (--once only: the live dashboard starts one, as huddle log does).", "",
                "Examples:", "  huddle watch", "  huddle watch --all", "  huddle watch --once --size 100x30 > frame.txt",
                "  NO_COLOR=1 huddle watch"})
final class WatchCommand extends BaseCommand {
    @Mixin
    ScopeOptions scope;

    @Mixin
    MaxObligationAgeOption maxObligationAge;

    @Option(names = "--once", description = "Print one frame to stdout and exit (no raw mode, no keys): for scripts and tests.")
    boolean once;

    @Option(names = "--size", paramLabel = "COLSxROWS", description = "With --once: the frame's size (default: the terminal's, else 80x24).")
    String size;

    @Option(names = "--no-color", description = "No colours (as NO_COLOR=1).")
    boolean noColor;

    /** Appends "epoch-µs generation newest-message-id" per frame that shows a new snapshot (huddle bench). */
    @Option(names = "--trace-frames", paramLabel = "FILE", hidden = true)
    Path traceFrames;

    @Override
    protected String usageLine() {
        return "Usage: huddle watch [--project PATH | --all] [--max-obligation-age D] [--once [--size COLSxROWS]] [--no-color]";
    }

    @Override
    protected int run() throws IOException {
        scope.check(this);
        long maxAgeMs = maxObligationAge.millis(this);
        int[] fixedSize = null;
        if (size != null) {
            fixedSize = parseSize(size);
            if (fixedSize == null) throw usage("--size must look like 100x30 (columns 20 to 1000, rows 3 to 500)");
            if (!once) throw usage("--size goes with --once (the live dashboard follows the terminal's size)");
        }
        String cwd = System.getProperty("user.dir");
        HubConnector connector = HubConnector.fromEnvironment();
        boolean noColorEnv = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty();
        if (once) {
            return once(new HubActions(connector, cwd), new ControlRequest.Cockpit(scope.project(), scope.all(), maxAgeMs), fixedSize,
                    !noColor && !noColorEnv && stdoutIsTerminal());
        }
        if (!stdoutIsTerminal()) throw usage("stdin and stdout must be a terminal for the live dashboard; --once prints one frame");

        Logger.getLogger("org.jline").setLevel(Level.OFF); // JLine reports fallbacks through java.util.logging, on stderr
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true).build();
        boolean color = !noColor && !noColorEnv && colours(terminal) >= 8;
        String refused;
        try (terminal) {
            CockpitStream stream = new CockpitStream(connector, cwd,
                    new ControlRequest.CockpitWatch(scope.project(), scope.all(), maxAgeMs), true);
            WatchUi ui = new WatchUi(terminal, stream, new HubActions(connector, cwd), color);
            if (traceFrames != null) ui.traceFrames(traceFrames);
            refused = ui.runInSession(true);
        }
        if (refused != null) throw new ExitException(ExitCodes.FAILURE, "the hub refused: " + refused);
        return ExitCodes.OK;
    }

    private int once(HubActions hub, ControlRequest.Cockpit request, int[] fixedSize, boolean color) {
        CockpitSnapshot snapshot;
        try {
            snapshot = hub.cockpit(request);
        } catch (ControlRefusedException e) {
            throw new ExitException(ExitCodes.FAILURE, "the hub refused: " + HubActions.reason(e));
        } catch (HubConnector.HubUnavailableException e) {
            throw new ExitException(ExitCodes.HUB_NOT_RUNNING,
                    "no hub is running, so no agent is connected (start an agent, or run `huddle doctor`).");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        int[] wh = fixedSize != null ? fixedSize : terminalSize();
        Instant now = Instant.now();
        WatchState st = new WatchState().link(WatchState.Link.LIVE, now, null);
        List<AttributedString> frame = Screen.render(snapshot, st, now, ZoneId.systemDefault(), wh[0], wh[1], color);
        out().print(color ? Screen.ansi(frame) : Screen.plain(frame));
        return ExitCodes.OK;
    }

    static int[] parseSize(String s) {
        String[] p = s.strip().toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 2 || !p[0].matches("\\d{1,4}") || !p[1].matches("\\d{1,4}")) return null;
        int w = Integer.parseInt(p[0]);
        int h = Integer.parseInt(p[1]);
        return w < 20 || w > 1000 || h < 3 || h > 500 ? null : new int[]{w, h};
    }

    private static int colours(Terminal t) {
        if (t.getType() == null || t.getType().startsWith("dumb")) return 0;
        Integer n = t.getNumericCapability(InfoCmp.Capability.max_colors);
        return n == null ? 0 : n;
    }

    private static boolean stdoutIsTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    /** $COLUMNS and $LINES, else {@code stty size} on the controlling terminal, else 80×24. */
    private static int[] terminalSize() {
        int[] wh = {80, 24};
        String c = System.getenv("COLUMNS");
        String l = System.getenv("LINES");
        if (c != null && c.matches("\\d{1,4}") && l != null && l.matches("\\d{1,4}")) {
            return new int[]{Math.max(20, Integer.parseInt(c)), Math.max(3, Integer.parseInt(l))};
        }
        if (!stdoutIsTerminal()) return wh;
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0 && s.matches("\\d+ \\d+")) {
                String[] f = s.split(" ");
                return new int[]{Math.max(20, Integer.parseInt(f[1])), Math.max(3, Integer.parseInt(f[0]))};
            }
        } catch (IOException e) {
            // no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return wh;
    }

}
