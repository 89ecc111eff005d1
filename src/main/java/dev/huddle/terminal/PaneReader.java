package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.protocol.AgentEnv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Captures the screen of the tmux pane an agent runs in, for {@code read_session}'s pane mode. The pane is the one
 * the process tree proves: its process is the agent process or one of its ancestors. The pane an agent reports
 * ({@code TMUX_PANE}) is never used, nor a tmux session's active pane, so with several agents in one tmux session each
 * is read from its own pane. The pane is proven again after the capture (a killed pane's id can come back on a
 * restarted server, a dead agent's pid can be reused), and what did not fit is cut from the start, so the newest
 * lines are kept.
 */
public final class PaneReader {
    /** One capture. {@code truncatedChars} is how many characters were cut from its start. */
    public record Capture(String tmuxSession, String pane, String window, int lines, String text, int truncatedChars) {}

    /** A capture, or why there is none. */
    public record Outcome(Capture capture, String reason) {
        static Outcome none(String reason) {
            return new Outcome(null, reason);
        }

        public boolean captured() {
            return capture != null;
        }
    }

    private final CommandRunner runner;
    private final ProcessInspector processes;
    private final String tmuxBinary;
    private final Duration timeout;

    public PaneReader(CommandRunner runner, ProcessInspector processes, String tmuxBinary, Duration timeout) {
        this.runner = runner;
        this.processes = processes;
        this.tmuxBinary = tmuxBinary;
        this.timeout = timeout;
    }

    public static PaneReader system(ProcessInspector processes) {
        return new PaneReader(CommandRunner.system(), processes, TerminalLocator.findOnPath("tmux"), Duration.ofSeconds(2));
    }

    /**
     * @param agent    the agent process
     * @param env      the agent's environment as its front reported it ({@code TMUX} names its tmux server)
     * @param lines    how many lines of history before the visible screen
     * @param maxChars at most this many characters, the newest kept
     */
    public Outcome capture(AgentProcess agent, Map<String, String> env, int lines, int maxChars) {
        if (tmuxBinary == null || !Files.isExecutable(Path.of(tmuxBinary))) return Outcome.none("tmux is not installed");
        if (agent == null) return Outcome.none("the agent's process is not known");
        if (!processes.isAlive(agent)) return Outcome.none("the agent's process (pid " + agent.pid() + ") has ended");
        List<String> tmux = new ArrayList<>(List.of(tmuxBinary, TerminalLocator.TMUX_UTF8));
        String server = "the default tmux server";
        String tmuxEnv = env == null ? null : AgentEnv.TMUX.in(env);
        if (tmuxEnv != null && !tmuxEnv.isBlank()) {
            String socket = tmuxEnv.split(",", 2)[0];
            if (socket.startsWith("/") && Files.exists(Path.of(socket))) {
                tmux.add("-S");
                tmux.add(socket);
                server = "tmux server " + socket;
            }
        }
        CommandRunner.Result listed = run(tmux, List.of("list-panes", "-a", "-F", "#{pane_id}\t#{pane_pid}\t#{session_name}\t#{window_index}"));
        if (!listed.ok()) return Outcome.none("no tmux server to ask (" + server + "): " + listed.brief());
        Optional<String[]> pane = prove(agent, listed.stdout());
        if (pane.isEmpty()) return Outcome.none("agent pid " + agent.pid() + " is not inside any pane of " + server);
        String[] p = pane.get();
        CommandRunner.Result shot = run(tmux, List.of("capture-pane", "-p", "-J", "-t", p[0], "-S", "-" + lines, "-E", "-"));
        if (!shot.ok()) return Outcome.none("tmux could not capture pane " + p[0] + ": " + shot.brief());
        CommandRunner.Result again = run(tmux, List.of("display-message", "-p", "-t", p[0], "#{pane_id}\t#{pane_pid}"));
        if (!again.ok() || !again.stdout().strip().equals(p[0] + "\t" + p[1]) || !processes.isAlive(agent)
                || !processes.ancestry(agent.pid(), 64).contains(Long.parseLong(p[1]))) {
            return Outcome.none("pane " + p[0] + " stopped hosting the agent while it was read");
        }
        String text = trimBottom(shot.stdout());
        int cut = Math.max(0, text.length() - maxChars);
        if (cut > 0) {
            int start = cut;
            int nl = text.indexOf('\n', cut);
            if (nl >= 0 && nl - cut < 200) start = nl + 1; // a whole first line when that costs little
            if (start < text.length() && Character.isLowSurrogate(text.charAt(start))) start++;
            cut = start;
            text = text.substring(start);
        }
        return new Outcome(new Capture(p[2], p[0], p[3], lines, text, cut), null);
    }

    /** The pane whose process is the agent or its nearest ancestor: {@code {id, pid, session, window}}. */
    private Optional<String[]> prove(AgentProcess agent, String listing) {
        List<String[]> panes = new ArrayList<>();
        for (String line : listing.lines().toList()) {
            String[] f = line.split("\t", 4);
            if (f.length == 4 && f[0].matches("%\\d+") && f[1].matches("\\d+")) panes.add(f);
        }
        for (long pid : processes.ancestry(agent.pid(), 64)) {
            if (pid <= 1) break; // init is everyone's ancestor: a pane claiming it proves nothing
            for (String[] f : panes) if (Long.parseLong(f[1]) == pid) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** Without the blank lines below the last text and the spaces at line ends. */
    static String trimBottom(String screen) {
        List<String> lines = new ArrayList<>(screen.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        return String.join("\n", lines);
    }

    private CommandRunner.Result run(List<String> tmux, List<String> args) {
        List<String> argv = new ArrayList<>(tmux);
        argv.addAll(args);
        return runner.run(argv, timeout);
    }
}
