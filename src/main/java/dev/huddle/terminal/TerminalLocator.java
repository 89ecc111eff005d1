package dev.huddle.terminal;

import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.AgentEnv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds the terminal an agent runs in. For tmux the answer is proven: the pane whose shell is an ancestor of the
 * agent process (the pane an agent reports through {@code TMUX_PANE} is only a hint). Other terminals are
 * recorded as reported by the environment and marked unverified.
 */
public final class TerminalLocator {
    /**
     * Every tmux command huddle runs gets {@code -u}: a client without a UTF-8 locale (a hub started with no LANG)
     * prints tabs in {@code -F} formats as {@code _} and non-ASCII screen text (Codex's {@code ›} prompt) as
     * {@code _}, which would make panes unlocatable and input lines unreadable.
     */
    public static final String TMUX_UTF8 = "-u";

    private final ProcessInspector processes;
    private final String tmuxBinary;

    public TerminalLocator(ProcessInspector processes) {
        this.processes = processes;
        this.tmuxBinary = findOnPath("tmux");
    }

    public TerminalLocation locate(long agentPid, Map<String, String> env) {
        if (tmuxBinary != null) {
            TerminalLocation tmux = locateInTmux(agentPid, AgentEnv.TMUX.in(env));
            if (tmux != null) return tmux;
        }
        if (AgentEnv.WEZTERM_PANE.isIn(env)) return reported("wezterm", null, AgentEnv.WEZTERM_PANE.in(env));
        if (AgentEnv.KITTY_WINDOW_ID.isIn(env)) return reported("kitty", null, AgentEnv.KITTY_WINDOW_ID.in(env));
        if (AgentEnv.ZELLIJ.isIn(env)) return reported("zellij", AgentEnv.ZELLIJ_SESSION_NAME.in(env), null);
        if (AgentEnv.STY.isIn(env)) return reported("screen", AgentEnv.STY.in(env), null);
        if (AgentEnv.TMUX_PANE.isIn(env)) return reported("tmux", null, AgentEnv.TMUX_PANE.in(env));
        String program = AgentEnv.TERM_PROGRAM.in(env);
        if (program != null && program.matches("[A-Za-z0-9._-]{1,40}")) return reported(program.toLowerCase(), null, null);
        return TerminalLocation.NONE;
    }

    private static TerminalLocation reported(String kind, String session, String pane) {
        return new TerminalLocation(kind, session, pane, null, false);
    }

    /** The tmux pane hosting {@code agentPid}, proven by ancestry, on the server named by TMUX or the default one. */
    TerminalLocation locateInTmux(long agentPid, String tmuxEnv) {
        List<String> cmd = new ArrayList<>(List.of(tmuxBinary, TMUX_UTF8));
        if (tmuxEnv != null && !tmuxEnv.isBlank()) {
            String socket = tmuxEnv.split(",", 2)[0];
            if (socket.startsWith("/") && Files.exists(Path.of(socket))) {
                cmd.add("-S");
                cmd.add(socket);
            }
        }
        cmd.addAll(List.of("list-panes", "-a", "-F", "#{pane_pid}\t#{pane_id}\t#{session_name}\t#{window_index}"));
        Map<Long, String[]> panes = new HashMap<>();
        for (String line : run(cmd)) {
            String[] f = line.split("\t", 4);
            if (f.length < 4) continue;
            try {
                panes.put(Long.parseLong(f[0]), f);
            } catch (NumberFormatException ignored) {
                // not a pane line
            }
        }
        if (panes.isEmpty()) return null;
        for (long pid : processes.ancestry(agentPid, 64)) {
            String[] f = panes.get(pid);
            if (f != null) return new TerminalLocation("tmux", f[2], f[1], f[3], true);
        }
        return null;
    }

    private static List<String> run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).lines().toList() : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    public static String findOnPath(String binary) {
        return findOnPath(binary, System.getenv("PATH"));
    }

    /** The first executable {@code binary} in the directories of {@code path} (a {@code PATH} value), or null. */
    public static String findOnPath(String binary, String path) {
        if (path == null) return null;
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
