package dev.huddle.protocol;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first line of every connection to the hub, validated. {@code kind} is {@code mcp} (an MCP front: the
 * stream then carries MCP) or {@code control} (one request, one reply: the CLI).
 */
public record Hello(
        String kind,
        String version,
        String build,
        long pid,
        Long ppid,
        Long ppidStartMs,
        String cwd,
        Map<String, String> env,
        boolean resume,
        boolean autostart,
        String op,
        JsonNode args) {

    static final int MAX_ENV_VALUE = 4096;

    /** Parses a hello, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static Hello parse(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("the hello must be a JSON object");
        if (!n.path("huddle").isIntegralNumber() || n.get("huddle").asInt() != 1) {
            throw new IllegalArgumentException("not a huddle hello (expected \"huddle\":1 first)");
        }
        String kind = text(n, "kind");
        if (!"mcp".equals(kind) && !"control".equals(kind)) throw new IllegalArgumentException("unknown kind '" + kind + "'");
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = n.path("env");
        if (e.isObject()) {
            for (var entry : e.properties()) {
                if (entry.getValue().isString() && entry.getValue().asString().length() <= MAX_ENV_VALUE) {
                    env.put(entry.getKey(), entry.getValue().asString());
                }
            }
        }
        String cwd = text(n, "cwd");
        if (cwd != null && (cwd.length() > 4096 || !cwd.startsWith("/"))) throw new IllegalArgumentException("cwd must be an absolute path");
        return new Hello(kind, textOr(n, "version", "0.0.0"), textOr(n, "build", ""),
                n.path("pid").asLong(0), positive(n, "ppid"), positive(n, "ppid_start_ms"), cwd, env,
                n.path("resume").asBoolean(false), n.path("autostart").asBoolean(true), text(n, "op"), n.path("args"));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isString() ? v.asString() : null;
    }

    private static String textOr(JsonNode n, String key, String def) {
        String v = text(n, key);
        return v == null ? def : v;
    }

    private static Long positive(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isIntegralNumber() && v.asLong() > 0 ? v.asLong() : null;
    }
}
