package dev.huddle.tools.demo;

import dev.huddle.agents.HookCommands;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pane of a private tmux server (its own socket, no user config), for the demo's waking step and the wake benchmark. The server
 * dies with {@link #close()}, taking the pane's program with it (SIGHUP).
 */
public record TmuxPane(String tmux, Path socket, String id, long pid) implements AutoCloseable {

    /** tmux on PATH, or null. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "tmux");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** Starts a detached 110×30 session running {@code command} in {@code cwd}. */
    public static TmuxPane start(String tmux, Path socket, Path cwd, List<String> command) throws IOException {
        String shellCommand = String.join(" ", command.stream().map(HookCommands::shellQuote).toList());
        String out = run(tmux, socket, "new-session", "-d", "-x", "110", "-y", "30", "-s", "demo", "-c", cwd.toString(),
                "-P", "-F", "#{pane_id} #{pane_pid}", shellCommand).strip();
        String[] f = out.split(" ");
        if (f.length != 2) throw new DemoFailure("tmux new-session printed \"" + out + "\", expected a pane id and pid");
        return new TmuxPane(tmux, socket, f[0], Long.parseLong(f[1]));
    }

    /** The pane's visible text. */
    public String capture() {
        try {
            return run(tmux, socket, "capture-pane", "-p", "-t", id);
        } catch (IOException | RuntimeException e) {
            return "(capture-pane failed: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            run(tmux, socket, "kill-server");
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            ProcessExits.waitForExit(List.of(p), java.time.Duration.ofSeconds(5));
        });
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the workspace is deleted next
        }
    }

    private static String run(String tmux, Path socket, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(tmux, "-S", socket.toString(), "-f", "/dev/null"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DemoFailure("tmux " + args[0] + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0 && !"kill-server".equals(args[0])) {
            throw new DemoFailure("tmux " + args[0] + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }
}
