package dev.huddle.it;

import dev.huddle.it.support.ClaudeCode;
import dev.huddle.it.support.HubTest;
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
 * The real Claude Code CLI writes a transcript; a peer reads it with {@code read_session}. Two {@code claude -p}
 * sessions, each driven offline by a {@link ScriptedModel}, work in a git repository whose path has {@code .},
 * {@code _} and a space (oxtail computed the wrong project folder for such paths). No hooks are installed, so the
 * transcript's place must be computed: {@code $HOME/.claude/projects/<cwd with every non-alphanumeric character as
 * '-'>/<session>.jsonl}, with the HOME the writer's MCP front reported, after the writer has exited. The writer runs
 * a Bash command (its answer is written as several lines sharing one {@code message.id}); the reader sees the
 * prompt, the answer with its tool call and result, and the final text, framed as peer context.
 *
 * <p>Skipped when the client is not installed, except under CI ({@code CI=true}), where it must run.
 */
@HubTest
class ClaudeCodeReadIT {
    private static final Duration CLAUDE_TIMEOUT = Duration.ofSeconds(120);
    private static final String READ = "mcp__huddle__read_session";

    private TestHome hub;
    private ClaudeCode claudeCode;
    private Path userHome;
    private Path repo;

    @BeforeEach
    void setUp() {
        userHome = claudeCode.home();
        repo = hub.initGitRepository(hub.newDir("ccr").resolve("my repo.v2_x"));
        hub.startHub();
        claudeCode.installMcpServer();
    }

    @Test
    void aPeerReadsTheTranscriptTheRealClientWroteFromAPathWithDotsUnderscoresAndASpace() throws Exception {
        String writer = UUID.randomUUID().toString();
        String marker = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String prompt = "Check the repository state (" + marker + ")";
        String answer = "The repository is clean (" + marker + ").";
        ScriptedModel writerModel = claudeCode.model(r -> r.lastToolUse() == null
                ? new Reply.ToolUse("Bash", Map.of("command", "echo real-tool-output-" + marker, "description", "Print a line"),
                "I'll check the repository first.")
                : Reply.text(answer));
        TestHome.Result w = runClaude(writerModel, writer, prompt);
        assertThat(w.exit()).as("the writer's claude -p%n%s%n%s", w, writerModel.describe()).isZero();

        Path expected = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + writer + ".jsonl");
        assertThat(expected).as("Claude Code's own transcript, where the documented rule puts it").exists();
        List<String> lines = Files.readAllLines(expected);
        long assistantLines = lines.stream().filter(l -> l.contains("\"type\":\"assistant\"") && l.contains("I'll check the repository first.")
                || l.contains("\"type\":\"assistant\"") && l.contains("\"tool_use\"")).count();
        System.err.println("ClaudeCodeReadIT: the writer's transcript has " + lines.size() + " lines; " + assistantLines
                + " assistant lines for the text and the tool call");

        String reader = UUID.randomUUID().toString();
        ScriptedModel readerModel = claudeCode.model(r -> r.lastToolUse() == null
                ? tool(r, READ, Map.of("target", writer, "include_tools", true))
                : Reply.text("Read it."));
        TestHome.Result rd = runClaude(readerModel, reader, "What did the other session do?");
        String context = "%n%s%n%s".formatted(rd, readerModel.describe());
        assertThat(rd.exit()).as("the reader's claude -p" + context).isZero();
        String toolResult = readerModel.mainRequests().stream().filter(r -> READ.equals(r.lastToolUse())).findFirst()
                .orElseThrow(() -> new AssertionError("no request after read_session" + context)).lastMessageText().strip();
        System.err.println("ClaudeCodeReadIT: read_session as the reader's model saw it:\n" + toolResult);
        Map<String, Object> r = Json.object(toolResult);
        assertThat(r).as("read_session's result" + context).containsEntry("ok", true).containsEntry("mode", "transcript");
        assertThat(Json.map(r, "transcript")).containsEntry("path", expected.toString()).containsEntry("source", "computed")
                .containsEntry("format", "claude-code");
        assertThat(Json.map(r, "peer")).containsEntry("session_id", writer).containsEntry("online", false);
        assertThat(Json.str(r, "frame")).contains("peer context");
        List<Object> messages = Json.list(r, "messages");
        assertThat(messages).as("prompt, the answer that ran Bash, the final answer" + context).hasSize(3);
        assertThat(Json.map(messages.get(0))).containsEntry("role", "user").containsEntry("text", prompt);
        assertThat(Json.map(messages.get(1))).containsEntry("role", "assistant").containsEntry("text", "I'll check the repository first.");
        assertThat(Json.map(messages.get(1), "tool_calls", 0)).containsEntry("name", "Bash")
                .containsEntry("input", "echo real-tool-output-" + marker).containsEntry("result", "real-tool-output-" + marker);
        assertThat(Json.map(messages.get(2))).containsEntry("role", "assistant").containsEntry("text", answer);
        assertThat(r).containsEntry("total_messages", 3).containsEntry("total_messages_exact", true);

        TestHome.Result cli = hub.cli(repo, "read", writer, "--tools");
        assertThat(cli.exit()).as("huddle read%n%s", cli).isZero();
        assertThat(cli.stdout()).contains(prompt, answer, "▸ Bash  echo real-tool-output-" + marker);
    }

    // ---- running claude ----

    private static Reply tool(ScriptedModel.Request r, String name, Map<String, Object> input) {
        if (!r.toolNames().contains(name)) throw new AssertionError("the model was not offered " + name + "; tools: " + r.toolNames());
        return Reply.tool(name, input);
    }

    private TestHome.Result runClaude(ScriptedModel model, String sessionId, String prompt) {
        Process p = claudeCode.start(repo, model, List.of("-p", prompt, "--output-format", "json",
                "--session-id", sessionId, "--allowedTools", "mcp__huddle", "Bash"));
        try {
            return TestHome.finish(p, CLAUDE_TIMEOUT, "claude -p " + prompt);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
