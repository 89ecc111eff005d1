package dev.huddle.cli.watch;

import dev.huddle.cli.Cli;
import dev.huddle.client.HubConnector;
import dev.huddle.cli.StatusCommand;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code huddle watch}: the live terminal dashboard of a project's agents, driven by snapshots the hub pushes. */
@Command(name = "watch", sortOptions = false,
        description = {"A live dashboard of this project's agents: name, client, busy/idle and for how long, online,",
                "unread messages, open asks and obligations, who waits for whom and how long (wait cycles marked),",
                "each agent's latest tool call, and the newest messages. The hub pushes every change; nothing polls.",
                "Keys: ↑/↓ select, s send a message, n nudge, r read its transcript, t jump to its tmux pane,",
                "d diagnose, ? help, q quit."},
        footer = {"", "Exit codes: 0 quit, 1 the hub refused (an unknown project, …), 2 usage (or not a terminal without --once),",
                "3 no hub running (--once only: the live dashboard starts one, as huddle log does).", "",
                "Examples:", "  huddle watch", "  huddle watch --all", "  huddle watch --once --size 100x30 > frame.txt",
                "  NO_COLOR=1 huddle watch"})
public final class WatchCommand implements Callable<Integer> {
    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    @Option(names = "--max-obligation-age", paramLabel = "DURATION",
            description = "An obligation open longer than this is stale: 90s, 30m, 2h, 500ms or ISO-8601 (default 30m).")
    String maxObligationAge;

    @Option(names = "--once", description = "Print one frame to stdout and exit (no raw mode, no keys): for scripts and tests.")
    boolean once;

    @Option(names = "--size", paramLabel = "COLSxROWS", description = "With --once: the frame's size (default: the terminal's, else 80x24).")
    String size;

    @Option(names = "--no-color", description = "No colours (as NO_COLOR=1).")
    boolean noColor;

    /** Appends "epoch-µs generation newest-message-id" per frame that shows a new snapshot (huddle bench). */
    @Option(names = "--trace-frames", paramLabel = "FILE", hidden = true)
    Path traceFrames;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (all && project != null) return usage(err, "use either --all or --project, not both");
        Duration maxAge = StatusCommand.DEFAULT_MAX_OBLIGATION_AGE;
        if (maxObligationAge != null) {
            maxAge = StatusCommand.parseDuration(maxObligationAge);
            if (maxAge == null) return usage(err, "--max-obligation-age '" + maxObligationAge + "' is not a duration (try 90s, 30m, 2h or PT30M)");
        }
        int[] fixedSize = null;
        if (size != null) {
            fixedSize = parseSize(size);
            if (fixedSize == null) return usage(err, "--size must look like 100x30 (columns 20 to 1000, rows 3 to 500)");
            if (!once) return usage(err, "--size goes with --once (the live dashboard follows the terminal's size)");
        }
        Map<String, Object> args = args(project, all, maxAge);
        String cwd = System.getProperty("user.dir");
        HubConnector connector = HubConnector.fromEnvironment();
        boolean noColorEnv = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty();
        if (once) return once(out, err, connector, args, cwd, fixedSize, !noColor && !noColorEnv && stdoutIsTerminal());
        if (!stdoutIsTerminal()) return usage(err, "stdin and stdout must be a terminal for the live dashboard; --once prints one frame");

        Logger.getLogger("org.jline").setLevel(Level.OFF); // JLine reports fallbacks through java.util.logging, on stderr
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true).build();
        boolean color = !noColor && !noColorEnv && colours(terminal) >= 8;
        String refused;
        try (terminal) {
            WatchUi ui = new WatchUi(terminal, new CockpitStream(connector, args, cwd, true), new HubActions(connector, cwd), color);
            if (traceFrames != null) ui.traceFrames(traceFrames);
            refused = runOn(terminal, ui, true);
        }
        if (refused != null) {
            err.println("huddle watch: the hub refused: " + refused);
            return Cli.EXIT_FAILURE;
        }
        return 0;
    }

    /**
     * Runs the dashboard on {@code terminal} and always gives the terminal back (raw mode off, alternate screen left,
     * cursor shown), also when the loop throws. Returns null, or why the hub refused.
     *
     * @param system the terminal is this process's own (stdout): then a shutdown hook restores it too
     */
    public static String runOn(Terminal terminal, WatchUi ui, boolean system) throws IOException {
        try (TerminalSession ignored = TerminalSession.enter(terminal, system)) {
            return ui.run() == 0 ? null : ui.fatal();
        }
    }

    static Map<String, Object> args(String project, boolean all, Duration maxAge) {
        Map<String, Object> args = new LinkedHashMap<>();
        if (all) args.put("all", true);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        args.put("max_obligation_age_ms", maxAge.toMillis());
        return args;
    }

    private int once(PrintWriter out, PrintWriter err, HubConnector connector, Map<String, Object> args, String cwd, int[] fixedSize,
                     boolean color) {
        Map<String, Object> result;
        try {
            result = new HubActions(connector, cwd).call("cockpit", args);
        } catch (HubActions.Refused e) {
            err.println("huddle watch: the hub refused: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        } catch (HubConnector.HubUnavailableException e) {
            err.println("huddle watch: no hub is running, so no agent is connected (start an agent, or run `huddle doctor`).");
            return Cli.EXIT_HUB_NOT_RUNNING;
        } catch (IOException e) {
            err.println("huddle watch: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        int[] wh = fixedSize != null ? fixedSize : terminalSize();
        Instant now = Instant.now();
        WatchState st = new WatchState().link(WatchState.Link.LIVE, now, null);
        List<AttributedString> frame = Screen.render(Snapshot.parse(result), st, now, ZoneId.systemDefault(), wh[0], wh[1], color);
        out.print(color ? Screen.ansi(frame) : Screen.plain(frame));
        out.flush();
        return 0;
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

    private static int usage(PrintWriter err, String what) {
        err.println("huddle watch: " + what);
        err.println("Usage: huddle watch [--project PATH | --all] [--max-obligation-age D] [--once [--size COLSxROWS]] [--no-color]");
        err.flush();
        return Cli.EXIT_USAGE;
    }
}
