package dev.huddle.protocol.tools;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's MCP server as an agent first sees it: the {@code initialize} result and the {@code tools/list} result,
 * both static and versioned with the jar. The front answers them itself, so an agent starts without waiting for a
 * cold hub; McpCatalogueTest holds them equal to what the hub's MCP server answers.
 */
public final class McpCatalogue {
    private McpCatalogue() {}

    /** The MCP protocol versions the hub's SDK speaks, oldest first; one it does not know gets the newest. */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");

    /** The version answered to a client that asked for {@code requested}: the same negotiation as the hub's SDK. */
    public static String negotiate(Object requested) {
        return requested instanceof String s && PROTOCOL_VERSIONS.contains(s) ? s : PROTOCOL_VERSIONS.getLast();
    }

    /** The {@code initialize} result for a client that asked for {@code requestedVersion}. */
    public static Map<String, Object> initializeResult(Object requestedVersion, String instructions) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocolVersion", negotiate(requestedVersion));
        r.put("capabilities", Map.of("logging", Map.of(), "tools", Map.of("listChanged", false)));
        r.put("serverInfo", Map.of("name", "huddle", "version", Version.CURRENT.version()));
        r.put("instructions", instructions);
        return r;
    }

    /** The {@code tools/list} result: every tool of {@link Tools#ALL}, in its order. */
    public static Map<String, Object> toolsListResult() {
        List<Object> tools = new ArrayList<>(Tools.ALL.size());
        for (ToolContract c : Tools.ALL) tools.add(tool(c));
        return Map.of("tools", tools);
    }

    /** One tool as MCP lists it; the hub's SDK renders the same contract from {@link ToolContract} alike. */
    static Map<String, Object> tool(ToolContract c) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", c.name());
        t.put("title", c.title());
        t.put("description", c.description());
        t.put("inputSchema", MiniJson.parseObject(c.inputSchema()));
        t.put("annotations", annotations(c));
        return t;
    }

    /** Every huddle tool is idempotent-hinted, never destructive, and stays in huddle's closed world. */
    private static Map<String, Object> annotations(ToolContract c) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("title", c.title());
        a.put("readOnlyHint", c.readOnly());
        a.put("destructiveHint", false);
        a.put("idempotentHint", true);
        a.put("openWorldHint", false);
        return a;
    }
}
