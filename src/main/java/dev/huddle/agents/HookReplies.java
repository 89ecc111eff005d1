package dev.huddle.agents;

import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a hook prints, in one client's own output schema (agent-platforms.md §1.4, §3.2, §4). The defaults are the
 * schema Claude Code and Codex share; a client's package overrides what it does its own way.
 */
public interface HookReplies {
    /**
     * Characters of injected text per hook answer. Claude Code caps each string at 10,000 characters and spills
     * the rest to a file the model may never open; the others document no cap, and the same budget keeps one hook
     * answer readable.
     */
    int TEXT_BUDGET_CHARS = 9_000;

    /** Context added mid-turn or next to the prompt: {@code hookSpecificOutput.additionalContext}. */
    default String context(HookSpec spec, String text) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("hookEventName", spec.event());
        inner.put("additionalContext", text);
        return JsonMapper.shared().writeValueAsString(Map.of("hookSpecificOutput", inner));
    }

    /**
     * Whether this hook's {@link #context} reaches the model. Where it does not, a warning is shown to the user now
     * ({@link #notice}) and given to the model by the client's next hook that delivers.
     */
    default boolean contextReachesModel(HookSpec spec) {
        return true;
    }

    /** Refuses a tool call before it runs; the reason goes to the model: {@code permissionDecision: "deny"}. */
    default String deny(HookSpec spec, String reason) {
        return permission(spec, "deny", reason);
    }

    /** Lets the human decide, where the client can ask; a client that cannot refuses instead. */
    default String ask(HookSpec spec, String reason) {
        return deny(spec, reason);
    }

    /** Keeps the agent going at the end of its turn with {@code text} as what to do next: {@code decision: "block"}. */
    default String continuation(HookSpec spec, String text) {
        return decision("block", text);
    }

    /** Nothing to say. Empty, so the hook prints nothing (SessionStart output would become context). */
    default String nothing(HookSpec spec) {
        return "";
    }

    /** Shown to the user, not the model ({@code systemMessage}). */
    static String notice(String text) {
        return JsonMapper.shared().writeValueAsString(Map.of("systemMessage", text));
    }

    /** {@code hookSpecificOutput} with a permission decision and its reason. */
    static String permission(HookSpec spec, String decision, String reason) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("hookEventName", spec.event());
        inner.put("permissionDecision", decision);
        inner.put("permissionDecisionReason", reason);
        return JsonMapper.shared().writeValueAsString(Map.of("hookSpecificOutput", inner));
    }

    /** A top-level {@code decision} with its {@code reason}. */
    static String decision(String decision, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", decision);
        out.put("reason", reason);
        return JsonMapper.shared().writeValueAsString(out);
    }
}
