package dev.huddle.tools.bench;

import dev.huddle.agents.HookCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private tmux server for the soak (its own socket, no user config, UTF-8, a clean environment): one window per
 * agent, and the keys a human would press. {@link #kill} ends the server and every process that ran in its panes.
 */
final class SoakTmux {
    /** One pane: its id and the pid of the program tmux started in it. */
    record Pane(String id, long pid) {
    }

    /** What {@code capture-pane} shows, and where the cursor is. */
    record Screen(List<String> rows, int cursorX, int cursorY) {
    }

    private final String tmux;
    private final Path socket;
    private final Map<String, String> env;
    private final List<ProcessHandle> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean hasSession;

    SoakTmux(String tmux, Path socket, Map<String, String> env) {
        this.tmux = tmux;
        this.socket = socket;
        this.env = env;
    }

    Path socket() {
        return socket;
    }

    /** A new window (the first one starts the server) running {@code command} in {@code cwd}. */
    synchronized Pane window(String name, Path cwd, List<String> command, int width, int height) throws IOException {
        String shellCommand = String.join(" ", command.stream().map(HookCommands::shellQuote).toList());
        List<String> args = hasSession
                ? List.of("new-window", "-d", "-t", "soak", "-n", name, "-c", cwd.toString(), "-P", "-F", "#{pane_id} #{pane_pid}", shellCommand)
                : List.of("new-session", "-d", "-x", Integer.toString(width), "-y", Integer.toString(height), "-s", "soak", "-n", name,
                "-c", cwd.toString(), "-P", "-F", "#{pane_id} #{pane_pid}", shellCommand);
        String out = run(args).strip();
        hasSession = true;
        String[] f = out.split(" ");
        if (f.length != 2) throw new IOException("tmux printed \"" + out + "\", expected a pane id and pid");
        Pane p = new Pane(f[0], Long.parseLong(f[1]));
        ProcessHandle.of(p.pid()).ifPresent(started::add);
        return p;
    }

    Screen screen(String pane) throws IOException {
        String cursor = run(List.of("display-message", "-p", "-t", pane, "#{cursor_x} #{cursor_y}")).strip();
        String text = run(List.of("capture-pane", "-p", "-t", pane));
        String[] c = cursor.split(" ");
        List<String> rows = new ArrayList<>(text.lines().toList());
        return new Screen(rows, Integer.parseInt(c[0]), Integer.parseInt(c[1]));
    }

    /** Types {@code text} as it is ({@code send-keys -l}: no key names). */
    void type(String pane, String text) throws IOException {
        run(List.of("send-keys", "-t", pane, "-l", "--", text));
    }

    /** Presses keys by name ({@code Enter}, {@code C-u}). */
    void key(String pane, String key) throws IOException {
        run(List.of("send-keys", "-t", pane, key));
    }

    /** Stops the server and makes sure every process that ran in a pane (and their children: the fronts) ends. */
    void kill() {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle h : started) {
            all.add(h);
            h.descendants().forEach(all::add);
        }
        try {
            String pid = run(List.of("display-message", "-p", "#{pid}")).strip();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(all::add);
        } catch (IOException | RuntimeException ignored) {
            // no server
        }
        try {
            run(List.of("kill-server"));
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
        long deadline = System.currentTimeMillis() + 5_000;
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception stillAlive) {
                h.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the directory goes next
        }
    }

    private String run(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(tmux, "-u", "-S", socket.toString(), "-f", "/dev/null"));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tmux " + args.getFirst() + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0 && !"kill-server".equals(args.getFirst())) {
            throw new IOException("tmux " + args.getFirst() + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }
}
