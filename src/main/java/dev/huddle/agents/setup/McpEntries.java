package dev.huddle.agents.setup;

import dev.huddle.agents.ClientSetup.McpEntry;
import dev.huddle.agents.setup.Change.Action;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code huddle} MCP server entry in each client's config, in the shape the client's package asks for
 * ({@link McpEntry}). Only the keys huddle needs are set; keys the user added (a {@code trust}, a
 * {@code default_tools_approval_mode}, other env variables) are kept, and a timeout the user raised above ours stays.
 */
final class McpEntries {
    static final String NAME = "huddle";
    static final List<Object> JSON_PATH = List.of("mcpServers", NAME);
    static final List<String> TOML_PATH = List.of("mcp_servers", NAME);

    private McpEntries() {}

    /** {@code mcpServers.huddle} in a JSON file. */
    static JsoncDocument registerJson(JsoncDocument doc, McpEntry.Json entry, SetupContext ctx, List<Change> changes) throws ConfigProblem {
        String item = "mcpServers." + NAME;
        Object existing = doc.get(JSON_PATH).orElse(null);
        if (existing != null && !(existing instanceof Map)) throw new ConfigProblem(item + " is not a JSON object");
        Map<?, ?> cur = existing instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> want = new LinkedHashMap<>();
        if (entry.type() != null) want.put("type", entry.type());
        want.put("command", ctx.launcher().toString());
        want.put("args", List.of("mcp"));
        if (entry.timeoutMs()) want.put("timeout", Math.max(ctx.toolTimeoutMs(), asLong(cur.get("timeout"))));
        Map<String, Object> env = env(cur.get("env"), ctx.huddleHome());
        if (env != null && (entry.envAlways() || !env.isEmpty() || cur.containsKey("env"))) want.put("env", env);
        if (existing == null) {
            changes.add(Change.of(item, Action.ADDED));
            return doc.set(JSON_PATH, want);
        }
        List<String> changed = new ArrayList<>();
        for (var e : want.entrySet()) {
            if (sameJson(cur.get(e.getKey()), e.getValue())) continue;
            List<Object> p = new ArrayList<>(JSON_PATH);
            p.add(e.getKey());
            doc = doc.set(p, e.getValue());
            changed.add(e.getKey());
        }
        changes.add(new Change(item, changed.isEmpty() ? Action.UNCHANGED : Action.UPDATED, String.join(", ", changed)));
        return doc;
    }

    static JsoncDocument unregisterJson(JsoncDocument doc, List<Change> changes) {
        if (doc.find(JSON_PATH).isEmpty()) return doc;
        changes.add(Change.of("mcpServers." + NAME, Action.REMOVED));
        doc = doc.remove(JSON_PATH);
        return doc.get(List.of("mcpServers")).orElse(null) instanceof Map<?, ?> m && m.isEmpty() ? doc.remove(List.of("mcpServers")) : doc;
    }

    /** {@code [mcp_servers.huddle]} in a TOML file. */
    static TomlDocument registerToml(TomlDocument doc, McpEntry.Toml entry, SetupContext ctx, List<Change> changes) throws ConfigProblem {
        String item = "[mcp_servers." + NAME + "]";
        String otherwise = doc.definedOtherwise(TOML_PATH);
        if (otherwise != null) {
            throw new ConfigProblem(otherwise + "; huddle setup edits only a [mcp_servers.huddle] table. Rewrite the huddle entry"
                    + " as a [mcp_servers.huddle] table (or delete it) and run huddle setup again");
        }
        JsonNode cur = doc.at(TOML_PATH);
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("command", ctx.launcher().toString());
        want.put("args", List.of("mcp"));
        List<String> vars = new ArrayList<>();
        for (JsonNode v : cur.path("env_vars")) vars.add(v.asString());
        for (String v : entry.envVars()) if (!vars.contains(v)) vars.add(v);
        want.put("env_vars", vars);
        want.put("startup_timeout_sec", Math.max(entry.startupTimeoutSec(), cur.path("startup_timeout_sec").asLong(0)));
        want.put("tool_timeout_sec", Math.max(ctx.toolTimeoutSec(), cur.path("tool_timeout_sec").asLong(0)));
        Map<String, Object> extra = new LinkedHashMap<>();
        List<String> envTable = new ArrayList<>(TOML_PATH);
        envTable.add("env");
        boolean envIsTable = doc.hasTable(envTable);
        if (!envIsTable) {
            Map<String, Object> env = env(JsonMapper.shared().convertValue(cur.path("env"), Object.class), ctx.huddleHome());
            if (env != null && (!env.isEmpty() || cur.has("env"))) want.put("env", env);
        } else if (ctx.huddleHome() != null) {
            extra.put("HUDDLE_HOME", ctx.huddleHome());
        }
        Map<String, Object> differing = new LinkedHashMap<>();
        want.forEach((k, v) -> {
            if (!sameJson(JsonMapper.shared().convertValue(cur.path(k), Object.class), v)) differing.put(k, v);
        });
        boolean envDiffers = !extra.isEmpty() && !ctx.huddleHome().equals(cur.path("env").path("HUDDLE_HOME").asString(null));
        if (cur.isMissingNode()) {
            changes.add(Change.of(item, Action.ADDED));
            return doc.setKeys(TOML_PATH, want);
        }
        if (!differing.isEmpty()) doc = doc.setKeys(TOML_PATH, differing);
        if (envDiffers) doc = doc.setKeys(envTable, extra);
        List<String> changed = new ArrayList<>(differing.keySet());
        if (envDiffers) changed.add("env.HUDDLE_HOME");
        changes.add(new Change(item, changed.isEmpty() ? Action.UNCHANGED : Action.UPDATED, String.join(", ", changed)));
        return doc;
    }

    static TomlDocument unregisterToml(TomlDocument doc, List<Change> changes) throws ConfigProblem {
        if (doc.at(TOML_PATH).isMissingNode()) return doc;
        String otherwise = doc.definedOtherwise(TOML_PATH);
        if (otherwise != null) {
            throw new ConfigProblem(otherwise + "; huddle uninstall removes only a [mcp_servers.huddle] table. Delete the huddle entry by hand");
        }
        changes.add(Change.of("[mcp_servers." + NAME + "]", Action.REMOVED));
        return doc.removeTable(TOML_PATH);
    }

    /**
     * The server's env with HUDDLE_HOME pinned when set (and dropped when not), other variables kept; null when
     * there is none and none is needed. The hooks name one hub's socket, so the front must use the same home.
     */
    private static Map<String, Object> env(Object existing, String huddleHome) {
        Map<String, Object> env = new LinkedHashMap<>();
        if (existing instanceof Map<?, ?> m) m.forEach((k, v) -> env.put(String.valueOf(k), v));
        if (huddleHome != null) env.put("HUDDLE_HOME", huddleHome);
        else env.remove("HUDDLE_HOME");
        return env;
    }

    private static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** Equal as JSON values (a 20 read as Integer equals a 20L we want). */
    private static boolean sameJson(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int k = 0; k < x.size(); k++) if (!sameJson(x.get(k), y.get(k))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) return false;
            for (var e : x.entrySet()) if (!sameJson(e.getValue(), y.get(e.getKey()))) return false;
            return true;
        }
        return Objects.equals(a, b);
    }
}
