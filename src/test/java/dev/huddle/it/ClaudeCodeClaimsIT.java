package dev.huddle.it;

import dev.huddle.it.support.ClaudeCode;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.ScriptedModel;
import dev.huddle.it.support.ScriptedModel.Reply;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Claude Code CLI (2.1.329), offline against a {@link ScriptedModel}, with huddle's hooks installed as
 * {@code huddle setup} writes them: another session (alice, a real front) holds {@code src/a.txt} exclusively; the
 * scripted model of a real {@code claude -p} session reads the file and then tries to {@code Edit} it. The
 * {@code PreToolUse} hook refuses the call, the file is unchanged, and the refusal's reason (holder, claim, how to
 * ask) reaches the model: the scripted endpoint sees it in the tool_result of its next request.
 *
 * <p>Skipped when the client is not installed, except under CI ({@code CI=true}), where it must run.
 */
@HubTest
class ClaudeCodeClaimsIT {
    private static final Duration CLAUDE_TIMEOUT = Duration.ofSeconds(120);

    private TestHome hub;
    private ClaudeCode claudeCode;
    @Project(value = "ccrepo", git = true)
    private Path repo;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/a.txt"), "alpha\n");
        hub.git(repo, "add", "src/a.txt");
        hub.git(repo, "commit", "-q", "-m", "a.txt");
        hub.startHub();
        claudeCode.installHooks();
    }

    @Test
    void anEditOfAFileAnotherSessionHoldsIsRefusedAndTheReasonReachesTheModel() throws Exception {
        String aliceSid = UUID.randomUUID().toString();
        SimulatedAgent alice = hub.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSid));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/a.txt"), "reason", "rewriting the parser"))).containsEntry("ok", true);

        String file = repo.resolve("src/a.txt").toString();
        ScriptedModel model = claudeCode.model(r -> {
            String last = r.lastToolUse();
            if (last == null) return Reply.tool("Read", Map.of("file_path", file));
            if (last.equals("Read")) return Reply.tool("Edit", Map.of("file_path", file, "old_string", "alpha", "new_string", "beta"));
            return Reply.text("I will ask alice first.");
        });
        String bobSid = UUID.randomUUID().toString();
        Process bob = claudeCode.start(repo, model, List.of("-p", "Change alpha to beta in src/a.txt.", "--output-format", "json",
                "--session-id", bobSid, "--allowedTools", "Read", "Edit"));
        TestHome.Result done = TestHome.finish(bob, CLAUDE_TIMEOUT, "bob's claude -p");
        String context = "%n%s%n%s%s".formatted(done, model.describe(), hub.logTail());
        assertThat(done.exit()).as("bob's claude -p" + context).isZero();
        assertThat(model.scriptFailures()).as("the script" + context).isEmpty();

        ScriptedModel.Request afterEdit = model.mainRequests().stream().filter(r -> "Edit".equals(r.lastToolUse())).findFirst()
                .orElseThrow(() -> new AssertionError("no request after the Edit call" + context));
        List<Object> messages = afterEdit.messages();
        System.err.println("ClaudeCodeClaimsIT: the last message of the request after Edit:\n" + Json.write(messages.getLast()));
        assertThat(Json.write(messages.getLast())).as("the tool_result of the Edit" + context).contains("tool_result");
        assertThat(afterEdit.lastMessageText()).as("the refusal's reason, as the model sees it" + context)
                .contains("src/a.txt is claimed exclusively by another agent, so this edit was refused", "alice", aliceSid,
                        "rewriting the parser", "ask_peer (target: alice)");
        assertThat(Files.readString(repo.resolve("src/a.txt"))).as("the file is unchanged").isEqualTo("alpha\n");
        alice.close();
    }
}
