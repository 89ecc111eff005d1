package dev.huddle.agents.codex;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookTrust;
import dev.huddle.agents.setup.ConfigProblem;
import dev.huddle.agents.setup.JsonStyle;
import dev.huddle.agents.setup.TomlDocument;
import dev.huddle.core.identity.Handles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether Codex will run huddle's hooks. Codex (0.169) runs a command hook from a {@code hooks.json} only once its
 * user trusted it, and skips the others without a word. Trust is stored in the user's {@code config.toml} as
 * {@code [hooks.state."<hooks.json path>:<event>:<group index>:<handler index>"] trusted_hash = "sha256:<hex>"},
 * keyed by position, so a hook moved to another place in the file is untrusted again; and the hash is of the hook as
 * Codex normalises it, so a changed command is untrusted again too ({@code codex-rs/hooks/src/engine/discovery.rs}:
 * {@code command_hook_hash}; {@code codex-rs/config/src/fingerprint.rs}: {@code version_for_toml}). The hash, verified
 * against what the real Codex 0.169 writes when its user picks "Trust all and continue": SHA-256 of the compact JSON,
 * keys sorted, of {@code {"event_name": <event, snake_case>, "matcher": <matcher, for the events that take one>,
 * "hooks": [{"type": "command", "command": …, "timeout": <seconds, default 600>, "async": <false>}]}}.
 */
final class CodexHookTrust {
    private static final JsonMapper JSON = JsonMapper.shared();
    /** The events whose matcher Codex keeps (for the others a matcher is ignored, and left out of the hash). */
    private static final Set<String> MATCHED_EVENTS = Set.of("PreToolUse", "PermissionRequest", "PostToolUse", "SessionStart");
    private static final long DEFAULT_TIMEOUT_S = 600;
    static final String ADVICE = "Codex skips hooks its user has not trusted, without a word. Start `codex` in a terminal and pick"
            + " \"Trust all and continue\" when it says \"Hooks need review\" (or trust them one by one in /hooks); until then"
            + " `codex exec` runs them only with --dangerously-bypass-hook-trust. huddle setup keeps each hook in its place,"
            + " so trust given once holds until a huddle upgrade changes a hook.";

    private CodexHookTrust() {}

    /** huddle's hooks in the user's and the project's {@code hooks.json}, each with its trust; empty when there is none. */
    static Optional<HookTrust> inspect(ClientSetup setup, Path home, Map<String, String> env, Path projectRoot) {
        Path userDir = setup.userConfigDir(home, env);
        Map<String, Trusted> states = states(userDir.resolve("config.toml"));
        List<HookTrust.Hook> hooks = new ArrayList<>();
        hooks.addAll(hooks(setup.files(home, env, null).hooksFile(), states));
        if (projectRoot != null) hooks.addAll(hooks(setup.files(home, env, projectRoot).hooksFile(), states));
        return hooks.isEmpty() ? Optional.empty() : Optional.of(new HookTrust(hooks, ADVICE));
    }

    /** What {@code [hooks.state]} of a {@code config.toml} holds: per key, the trusted hash and whether it is enabled. */
    record Trusted(String hash, boolean enabled) {}

    static Map<String, Trusted> states(Path configToml) {
        Map<String, Trusted> out = new TreeMap<>();
        try {
            if (!Files.isRegularFile(configToml)) return out;
            JsonNode state = TomlDocument.parse(Files.readString(configToml, StandardCharsets.UTF_8)).at(List.of("hooks", "state"));
            if (state == null || !state.isObject()) return out;
            for (Map.Entry<String, JsonNode> e : state.properties()) {
                JsonNode v = e.getValue();
                out.put(e.getKey(), new Trusted(v.path("trusted_hash").isString() ? v.path("trusted_hash").asString() : null,
                        !v.path("enabled").isBoolean() || v.path("enabled").asBoolean()));
            }
        } catch (IOException | ConfigProblem | RuntimeException e) {
            // unreadable: every hook shows as not trusted, which is what Codex makes of it too
        }
        return out;
    }

    /** huddle's handlers in one {@code hooks.json}, with their trust. */
    static List<HookTrust.Hook> hooks(Path hooksJson, Map<String, Trusted> states) {
        List<HookTrust.Hook> out = new ArrayList<>();
        JsonNode root;
        try {
            if (!Files.isRegularFile(hooksJson)) return out;
            root = JSON.readTree(Files.readString(hooksJson, StandardCharsets.UTF_8));
        } catch (IOException | JacksonException e) {
            return out; // doctor's hook check reports a file that does not parse
        }
        List<String> keySources = keySources(hooksJson);
        for (Map.Entry<String, JsonNode> event : root.path("hooks").properties()) {
            JsonNode groups = event.getValue();
            for (int g = 0; g < groups.size(); g++) {
                JsonNode group = groups.get(g);
                JsonNode handlers = group.path("hooks");
                for (int h = 0; h < handlers.size(); h++) {
                    JsonNode handler = handlers.get(h);
                    if (!handler.path("command").isString() || !HookCommands.isOurs(handler.path("command").asString())) continue;
                    String hash = hash(event.getKey(), group.path("matcher").isString() ? group.path("matcher").asString() : null, handler);
                    Trusted t = null;
                    for (String source : keySources) {
                        t = states.get(source + ":" + label(event.getKey()) + ":" + g + ":" + h);
                        if (t != null) break;
                    }
                    HookTrust.State state = t == null || t.hash() == null ? HookTrust.State.NEW
                            : !t.enabled() ? HookTrust.State.DISABLED
                            : t.hash().equals(hash) ? HookTrust.State.TRUSTED : HookTrust.State.CHANGED;
                    out.add(new HookTrust.Hook(event.getKey(), hooksJson, state));
                }
            }
        }
        return out;
    }

    /** Codex keys a file by its absolute path as configured; the real path too, in case it resolved links. */
    private static List<String> keySources(Path hooksJson) {
        Path abs = hooksJson.toAbsolutePath().normalize();
        List<String> out = new ArrayList<>(List.of(abs.toString()));
        try {
            String real = abs.toRealPath().toString();
            if (!out.contains(real)) out.add(real);
        } catch (IOException ignored) {
            // the configured path is the one
        }
        return out;
    }

    /** The hash Codex trusts a command hook by ({@code sha256:<hex>}). */
    static String hash(String event, String matcher, JsonNode handler) {
        Map<String, Object> normalized = new TreeMap<>();
        normalized.put("type", "command");
        normalized.put("command", handler.path("command").asString());
        long timeout = handler.path("timeout").isIntegralNumber() ? handler.path("timeout").asLong() : DEFAULT_TIMEOUT_S;
        normalized.put("timeout", Math.max(1, timeout));
        normalized.put("async", handler.path("async").isBoolean() && handler.path("async").asBoolean());
        if (handler.path("statusMessage").isString()) normalized.put("statusMessage", handler.path("statusMessage").asString());
        Map<String, Object> identity = new TreeMap<>();
        identity.put("event_name", label(event));
        if (matcher != null && MATCHED_EVENTS.contains(event)) identity.put("matcher", matcher);
        identity.put("hooks", List.of(normalized));
        return "sha256:" + Handles.sha256Hex(canonical(identity));
    }

    /** {@code PreToolUse} → {@code pre_tool_use}, as Codex labels events in keys and hashes. */
    static String label(String event) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < event.length(); i++) {
            char c = event.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) b.append('_');
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Compact JSON with sorted keys, escaped as serde_json escapes (only quotes, backslashes and control characters). */
    static String canonical(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case Map<?, ?> m -> {
                b.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                    b.append(sep);
                    b.append(JsonStyle.quote(String.valueOf(e.getKey())));
                    b.append(':');
                    write(b, e.getValue());
                    sep = ",";
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, l.get(i));
                }
                b.append(']');
            }
            case String s -> b.append(JsonStyle.quote(s)); // serde_json's escapes, as Codex hashes it
            default -> b.append(v);
        }
    }
}
