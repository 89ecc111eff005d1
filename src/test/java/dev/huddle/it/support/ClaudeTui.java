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
 * The interactive Claude Code CLI in a private tmux server (it needs a TTY), one tmux session per Claude Code
 * session, as a human starts it: the prompt is the positional argument, and nothing is typed into the pane afterwards.
 * Used with {@link ClaudeCode#skipFirstRunDialogs} so it starts straight into the prompt. {@link #close()} kills the
 * tmux server (and with it the sessions).
 *
 * <p>What 2.1.329 needs here (docs/hooks.md): {@code --permission-mode default} (else auto mode checks tool calls with
 * extra model requests), the prompt after {@code --}, and {@code WaitForMcpServers} allowed, since interactive MCP
 * servers connect in the background.
 */
public final class ClaudeTui implements AutoCloseable {
    public static final String WAIT_FOR_MCP = "WaitForMcpServers";

    private final ClaudeCode claudeCode;
    private final Path cwd;
    private final Path socket;

    private ClaudeTui(ClaudeCode claudeCode, Path cwd) {
        this.claudeCode = claudeCode;
        this.cwd = cwd;
        this.socket = claudeCode.home().resolve("tmux.sock");
    }

    /**
     * What the interactive tests start from: the hub up (before any hook fires), huddle installed into the sessions'
     * HOME with {@code huddle setup --client claude} as a user runs it in {@code repo}, the first-run dialogs answered,
     * and a tmux server for sessions in {@code repo}.
     */
    public static ClaudeTui withHuddleSetup(ClaudeCode claudeCode, Path repo) {
        ClaudeTui tui = in(claudeCode, repo);
        claudeCode.hub().startHub();
        claudeCode.installWithHuddleSetup(repo);
        claudeCode.skipFirstRunDialogs(repo);
        return tui;
    }

    /** A tmux server for Claude Code sessions in {@code cwd}; skips the test without tmux, except under CI. */
    public static ClaudeTui in(ClaudeCode claudeCode, Path cwd) {
        boolean present = Stream.of("/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux").anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("tmux not found; CI must run the interactive Claude Code tests");
            Assumptions.assumeTrue(false, "tmux not installed");
        }
        return new ClaudeTui(claudeCode, cwd);
    }

    /**
     * Starts {@code claude} in a detached tmux session named {@code name} (200×50), against {@code model}, with
     * {@code allowedTools} and {@code WaitForMcpServers} allowed. The first start also starts the private tmux server;
     * each session gets its model's environment ({@code -e}).
     */
    public void start(String name, ScriptedModel model, String sessionId, String prompt, String... allowedTools) {
        claudeCode.ignoreProjectServers(cwd);
        Map<String, String> env = claudeCode.env(model);
        env.put("TERM", "xterm-256color");
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", cwd.toString()));
        // A running server gives a new session its own environment, not this client's: say it per session.
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(List.of(ClaudeCode.binary().toString(), "--session-id", sessionId, "--permission-mode", "default", "--allowedTools"));
        args.addAll(List.of(allowedTools));
        args.addAll(List.of(WAIT_FOR_MCP, "--", prompt));
        TestHome.Result r = tmux(env, args.toArray(String[]::new));
        assertThat(r.exit()).as("tmux new-session%n%s", r).isZero();
    }

    /** The pane of session {@code name}: what the human sees, with 200 lines of history, blank runs squeezed. */
    public String pane(String name) {
        TestHome.Result r = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", name);
        return r.exit() == 0 ? r.stdout().replaceAll("\n{3,}", "\n\n") : "(no pane: " + r + ")";
    }

    /** The pid of the process in session {@code name}'s pane (the claude process). */
    public long panePid(String name) {
        return Long.parseLong(tmux("display-message", "-p", "-t", name, "#{pane_pid}").stdout().strip());
    }

    public TestHome.Result tmux(String... args) {
        return tmux(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "TERM", "xterm-256color"), args);
    }

    private TestHome.Result tmux(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        return TestHome.run(cwd, env, Duration.ofSeconds(20), cmd);
    }

    @Override
    public void close() {
        if (Files.exists(socket)) tmux("kill-server");
    }
}
