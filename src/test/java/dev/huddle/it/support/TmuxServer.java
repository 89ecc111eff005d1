package dev.huddle.it.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A private tmux server ({@code tmux -S <socket> -f /dev/null}) for a test's interactive agents: real TTYs, and the
 * {@code TMUX} variable that tells huddle's waker which server to type into. Closing it kills the server.
 */
public final class TmuxServer implements AutoCloseable {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "TERM", "xterm-256color");

    /** A captured pane: its text with SGR escapes ({@code capture-pane -p -e}) and the cursor. */
    public record Screen(String text, int cursorX, int cursorY) {
        /** The text without escape sequences. */
        public String plain() {
            return text.replaceAll("\u001B\\[[0-9;:?]*[A-Za-z]", "");
        }
    }

    private final Path socket;

    private TmuxServer(Path socket) {
        this.socket = socket;
    }

    /** A server at {@code socket} (started by the first {@link #newSession}); skips the test without tmux, except under CI. */
    public static TmuxServer at(Path socket) {
        boolean present = Stream.of("/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux").anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("tmux not found; CI must run the interactive client tests");
            Assumptions.assumeTrue(false, "tmux not installed");
        }
        return new TmuxServer(socket);
    }

    /**
     * A detached session running {@code command} in {@code cwd}, {@code width}×{@code height}; returns its pane id.
     * The first session starts the server, whose environment ({@code env}) its panes inherit; each session also gets
     * {@code env} as its own ({@code -e}), so a later one with other values (another scripted model) runs with them.
     */
    public String newSession(String name, int width, int height, Path cwd, Map<String, String> env, List<String> command) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-P", "-F", "#{pane_id}", "-s", name,
                "-x", String.valueOf(width), "-y", String.valueOf(height), "-c", cwd.toString()));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(command);
        TestHome.Result r = run(env, args.toArray(String[]::new));
        assertThat(r.exit()).as("tmux new-session%n%s", r).isZero();
        return r.stdout().strip();
    }

    public TestHome.Result run(String... args) {
        return run(ENV, args);
    }

    private TestHome.Result run(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        return TestHome.run(Path.of("/"), env, Duration.ofSeconds(20), cmd);
    }

    /** Types {@code text} literally (one burst, as a human's fast typing or a paste without brackets arrives). */
    public void type(String pane, String text) {
        TestHome.Result r = run("send-keys", "-t", pane, "-l", "--", text);
        assertThat(r.exit()).as("tmux send-keys -l%n%s", r).isZero();
    }

    /** Presses keys by name ({@code Enter}, {@code C-u}). */
    public void keys(String pane, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane));
        args.addAll(List.of(keys));
        TestHome.Result r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as("tmux send-keys%n%s", r).isZero();
    }

    public Screen capture(String pane) {
        TestHome.Result cursor = run("display-message", "-p", "-t", pane, "#{cursor_x} #{cursor_y}");
        TestHome.Result text = run("capture-pane", "-p", "-e", "-t", pane);
        assertThat(cursor.exit() + text.exit()).as("tmux capture-pane%n%s%n%s", cursor, text).isZero();
        String[] xy = cursor.stdout().strip().split(" ");
        return new Screen(text.stdout(), Integer.parseInt(xy[0]), Integer.parseInt(xy[1]));
    }

    /** The pane's process (what the process tree must lead to from the agent). */
    public long panePid(String pane) {
        return Long.parseLong(run("display-message", "-p", "-t", pane, "#{pane_pid}").stdout().strip());
    }

    @Override
    public void close() {
        if (Files.exists(socket)) run("kill-server");
    }
}
