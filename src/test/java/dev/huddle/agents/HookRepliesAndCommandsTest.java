package dev.huddle.agents;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HookRepliesAndCommandsTest {
    private static JsonNode json(String s) {
        return JsonMapper.shared().readTree(s);
    }

    private static HookSpec spec(HookClient c, String event) {
        return HookCatalog.find(c, event).orElseThrow();
    }

    private static HookReplies replies(HookClient c) {
        return AgentClients.installed().of(c).replies();
    }

    @Test
    void eachClientGetsItsOwnOutputSchema() {
        JsonNode claude = json(replies(HookClient.CLAUDE).context(spec(HookClient.CLAUDE, "PreToolUse"), "t\"x"));
        assertThat(claude.path("hookSpecificOutput").path("hookEventName").asString()).isEqualTo("PreToolUse");
        assertThat(claude.path("hookSpecificOutput").path("additionalContext").asString()).isEqualTo("t\"x");
        assertThat(json(replies(HookClient.GEMINI).context(spec(HookClient.GEMINI, "AfterTool"), "t")).path("hookSpecificOutput").path("hookEventName").asString())
                .isEqualTo("AfterTool");
        // Claude Code: additionalContext keeps the turn going, once, not labelled an error (ClaudeCodeTurnEndIT)
        JsonNode claudeStop = json(replies(HookClient.CLAUDE).continuation(spec(HookClient.CLAUDE, "Stop"), "r"));
        assertThat(claudeStop.path("hookSpecificOutput").path("hookEventName").asString()).isEqualTo("Stop");
        assertThat(claudeStop.path("hookSpecificOutput").path("additionalContext").asString()).isEqualTo("r");
        assertThat(claudeStop.has("decision")).isFalse();
        assertThat(json(replies(HookClient.CODEX).continuation(spec(HookClient.CODEX, "Stop"), "r")).path("decision").asString()).isEqualTo("block");
        JsonNode gemini = json(replies(HookClient.GEMINI).continuation(spec(HookClient.GEMINI, "AfterAgent"), "r"));
        assertThat(gemini.path("decision").asString()).isEqualTo("deny");
        assertThat(gemini.path("reason").asString()).isEqualTo("r");
        assertThat(replies(HookClient.CLAUDE).nothing(spec(HookClient.CLAUDE, "SessionStart"))).isEmpty();
        assertThat(replies(HookClient.CODEX).nothing(spec(HookClient.CODEX, "Stop"))).isEqualTo("{}");
    }

    /** Codex 0.169 shows a refusal as "Command blocked by PreToolUse hook: {reason}. Command: …": the reason brings no period of its own. */
    @Test
    void aCodexRefusalEndsWithoutAPeriodOthersKeepTheirs() {
        String reason = "huddle: a.txt is claimed. Wait until the claim ends (list_claims shows it).";
        JsonNode codex = json(replies(HookClient.CODEX).deny(spec(HookClient.CODEX, "PreToolUse"), reason));
        assertThat(codex.path("hookSpecificOutput").path("permissionDecision").asString()).isEqualTo("deny");
        assertThat(codex.path("hookSpecificOutput").path("permissionDecisionReason").asString()).isEqualTo(reason.substring(0, reason.length() - 1));
        JsonNode claude = json(replies(HookClient.CLAUDE).deny(spec(HookClient.CLAUDE, "PreToolUse"), reason));
        assertThat(claude.path("hookSpecificOutput").path("permissionDecisionReason").asString()).isEqualTo(reason);
    }

    @Test
    void theCatalogCoversWhatTheIssueAsksPerClient() {
        assertThat(HookCatalog.forClient(HookClient.CLAUDE)).extracting(HookSpec::event)
                .containsExactly("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "Stop", "SessionEnd");
        assertThat(HookCatalog.forClient(HookClient.CLAUDE)).extracting(HookSpec::endpoint)
                .containsExactly("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "Rewake", "SessionEnd");
        assertThat(HookCatalog.find(HookClient.CLAUDE, "PostToolUse").orElseThrow().matcher()).isEqualTo("Bash|Edit|Write|MultiEdit|NotebookEdit");
        assertThat(HookCatalog.find(HookClient.CLAUDE, "Rewake").orElseThrow().rewake()).isTrue();
        assertThat(HookCatalog.forClient(HookClient.CODEX)).extracting(HookSpec::event)
                .containsExactly("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop");
        assertThat(HookCatalog.forClient(HookClient.GEMINI)).extracting(HookSpec::event)
                .containsExactly("SessionStart", "BeforeAgent", "BeforeTool", "AfterTool", "AfterAgent", "SessionEnd");
        assertThat(HookCatalog.find(HookClient.GEMINI, "BeforeTool").orElseThrow().matcher()).isEqualTo("^(write_file|replace|run_shell_command)$");
        assertThat(HookCatalog.find(HookClient.CLAUDE, "UserPromptSubmit").orElseThrow().delivers()).isFalse();
    }

    @Test
    void commandsAreRecognisedWithTheirVersionAndQuoteAnyPath() {
        String curl = HookCommands.curl(Path.of("/tmp/it's a \"dir\"/http.sock"), HookClient.CLAUDE, "Stop");
        assertThat(curl).contains("'/tmp/it'\\''s a \"dir\"/http.sock'").contains("http://huddle/hooks/claude/Stop?v=" + HookCatalog.VERSION)
                .contains("\"X-Huddle-Pid: $PPID\"").endsWith("exit 0");
        assertThat(HookCommands.isOurs(curl)).isTrue();
        assertThat(HookCommands.versionOf(curl)).hasValue(HookCatalog.VERSION);
        String java = HookCommands.java(Path.of("/opt/huddle dir/huddle"), HookClient.GEMINI, "AfterAgent");
        assertThat(java).startsWith("'/opt/huddle dir/huddle' hook gemini AfterAgent --hook-version ");
        assertThat(HookCommands.isOurs(java)).isTrue();
        assertThat(HookCommands.isOurs("~/.oxtail/hooks/stop.sh")).isFalse();
        assertThat(HookCommands.versionOf("curl http://huddle/hooks/claude/Stop?v=0")).hasValue(0);
        String rewake = HookCommands.rewake(Path.of("/s/http.sock"), HookClient.CLAUDE, "Rewake");
        assertThat(HookCommands.isOurs(rewake)).isTrue();
        assertThat(HookCommands.endpointOf(rewake)).contains("Rewake");
        assertThat(HookCommands.endpointOf(curl)).contains("Stop");
    }
}
