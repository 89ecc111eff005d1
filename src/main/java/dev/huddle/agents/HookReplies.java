package dev.huddle.agents;

import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a hook prints, in each client's own output schema (agent-platforms.md §1.4, §3.2, §4). */
public final class HookReplies {
    /**
     * Characters of injected text per hook answer. Claude Code caps each string at 10,000 characters and spills
     * the rest to a file the model may never open; the others document no cap, and the same budget keeps one hook
     * answer readable.
     */
    public static final int TEXT_BUDGET_CHARS = 9_000;

    private HookReplies() {}

    /** Context added mid-turn or next to the prompt: {@code hookSpecificOutput.additionalContext}. */
    public static String context(HookSpec spec, String text) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("hookEventName", spec.event());
        inner.put("additionalContext", text);
        return JsonMapper.shared().writeValueAsString(Map.of("hookSpecificOutput", inner));
    }

    /**
     * Refuses a tool call before it runs; the reason goes to the model. Claude Code and Codex: {@code PreToolUse}
     * {@code hookSpecificOutput.permissionDecision: "deny"}; Gemini CLI: {@code BeforeTool} {@code decision: "deny"}.
     */
    public static String deny(HookSpec spec, String reason) {
        if (spec.client() == HookClient.GEMINI) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("decision", "deny");
            out.put("reason", reason);
            return JsonMapper.shared().writeValueAsString(out);
        }
        return permission(spec, "deny", reason);
    }

    /**
     * Lets the human decide (Claude Code {@code permissionDecision: "ask"}, the reason shown in its prompt). Codex
     * marks an {@code ask} hook failed and Gemini has none, so there it refuses instead.
     */
    public static String ask(HookSpec spec, String reason) {
        return spec.client() == HookClient.CLAUDE ? permission(spec, "ask", reason) : deny(spec, reason);
    }

    /** Shown to the user, not the model ({@code systemMessage}; Gemini CLI's BeforeTool has no context for the model). */
    public static String notice(String text) {
        return JsonMapper.shared().writeValueAsString(Map.of("systemMessage", text));
    }

    private static String permission(HookSpec spec, String decision, String reason) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("hookEventName", spec.event());
        inner.put("permissionDecision", decision);
        inner.put("permissionDecisionReason", reason);
        return JsonMapper.shared().writeValueAsString(Map.of("hookSpecificOutput", inner));
    }

    /**
     * Keeps the agent going at the end of its turn with {@code text} as what to do next: Claude Code and Codex
     * {@code decision: "block"}, Gemini {@code decision: "deny"} (AfterAgent rejects the answer and sends the reason
     * as a new prompt).
     */
    public static String continuation(HookSpec spec, String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", spec.client() == HookClient.GEMINI ? "deny" : "block");
        out.put("reason", text);
        return JsonMapper.shared().writeValueAsString(out);
    }

    /**
     * Nothing to say. Empty, so the hook prints nothing (SessionStart output would become context), except where a
     * client wants JSON on every successful exit (Codex Stop).
     */
    public static String nothing(HookSpec spec) {
        return spec.client() == HookClient.CODEX && spec.meaning() == HookEvent.TURN_END ? "{}" : "";
    }
}
