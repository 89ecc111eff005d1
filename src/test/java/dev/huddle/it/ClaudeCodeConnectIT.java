package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.it.support.ClaudeCode;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI (installed by {@code .ci/install-clients.sh} into {@code .ci/node}) registers
 * {@code huddle mcp} as a user-scope stdio server and health-checks it with {@code claude mcp list}, which
 * spawns the front through the launcher and runs the MCP handshake ({@code server/discover} probe, then
 * {@code initialize}, {@code notifications/initialized}, {@code tools/list}). No model, account or network.
 *
 * <p>Observed with Claude Code 2.1.329:
 * <pre>
 * Checking MCP server health…
 *
 * huddle: /abs/path/huddle mcp - ✔ Connected
 * </pre>
 * and on failure {@code huddle: ... - ✘ Failed to connect} (with detail); the exit code is 0 either way.
 *
 * <p>Skipped when the client is not installed, except under CI ({@code CI=true}), where it must run.
 */
@HubTest
class ClaudeCodeConnectIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private ClaudeCode claudeCode;
    private Path launcher;
    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        launcher = TestHome.launcher();
        assertThat(launcher).as("launcher from -Dhuddle.launcher").isExecutable();
        home = claudeCode.home();
        env = claudeCode.env();
    }

    @Test
    void claudeCodeConnectsToHuddleMcpThroughTheLauncher() throws Exception {
        Path claude = ClaudeCode.binary();

        ItProcesses.Result version = run(home, List.of(claude.toString(), "--version"), TIMEOUT);
        assertThat(version.exitCode()).as("claude --version%n%s", version).isZero();

        ItProcesses.Result add = run(home, List.of(claude.toString(), "mcp", "add", "--scope", "user", "huddle", "--",
                launcher.toString(), "mcp"), TIMEOUT);
        assertThat(add.exitCode()).as("claude mcp add%n%s", add).isZero();

        ItProcesses.Result list = run(home, List.of(claude.toString(), "mcp", "list"), TIMEOUT);
        assertThat(list.exitCode()).as("claude mcp list%n%s", list).isZero();
        Optional<String> line = list.output().lines().filter(l -> l.startsWith("huddle:")).findFirst();
        assertThat(line).as("a 'huddle:' line in claude mcp list%n%s%s", list, hubLog()).isPresent();
        assertThat(line.get())
                .as("claude mcp list (client %s)%n%s%s", version.output().strip(), list, hubLog())
                .contains(launcher + " mcp")
                .containsPattern("[✓✔] Connected")
                .doesNotContain("Failed");
    }

    private ItProcesses.Result run(Path dir, List<String> command, Duration timeout) throws IOException, InterruptedException {
        return ItProcesses.run(env, dir, timeout, command);
    }

    private String hubLog() {
        return claudeCode.hub().logTail();
    }
}
