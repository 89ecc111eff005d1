package dev.huddle.tools.demo;

import dev.huddle.protocol.MiniJson;

import java.util.Map;

/**
 * What a Claude Code hook printed, as the demo checks it: the context it hands the model and the permission decision
 * of a PreToolUse hook ({@code hookSpecificOutput}); {@code printed} is the parsed output as it came, for the
 * transcript (null when the hook printed nothing).
 */
record HookOutput(String additionalContext, String permissionDecision, String permissionDecisionReason, Object printed) {

    /** Reads a hook's stdout: empty is "nothing to say"; anything else must be a JSON object. */
    static HookOutput parse(String stdout) {
        if (stdout.isEmpty()) return new HookOutput(null, null, null, null);
        Object printed = MiniJson.parseObject(stdout);
        Map<?, ?> specific = ((Map<?, ?>) printed).get("hookSpecificOutput") instanceof Map<?, ?> m ? m : Map.of();
        return new HookOutput(text(specific, "additionalContext"), text(specific, "permissionDecision"),
                text(specific, "permissionDecisionReason"), printed);
    }

    private static String text(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }
}
