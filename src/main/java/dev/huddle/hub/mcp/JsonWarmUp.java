package dev.huddle.hub.mcp;

import dev.huddle.protocol.tools.Tools;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JSON conversions of a session's first messages, run once on canned messages while a cold hub opens its database.
 * Jackson builds a (de)serializer for each type the first time it meets it, by introspecting the class: for the SDK's
 * types of {@code initialize} and a tool call, and huddle's tool results, that was about 80 ms of a cold hub's CPU,
 * spent on the first session's first answers (docs/BENCHMARKS.md, "A cold hub's CPU, profiled"). Run beside the database open, on a
 * thread of its own, it is spent while the hub would otherwise wait. It touches no state: nothing is sent or stored.
 */
public final class JsonWarmUp {
    private static final Logger LOG = Logger.getLogger(JsonWarmUp.class.getName());
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"roots":{}},\
            "clientInfo":{"name":"huddle-warm-up","version":"0"}}}""";
    private static final String CALL = """
            {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_project_sessions","arguments":{},\
            "_meta":{"progressToken":1}}}""";

    private JsonWarmUp() {}

    /** Never throws: a warm-up that fails only means the first session pays for it. */
    public static void run(McpJsonMapper mapper) {
        try {
            JsonMapper json = JsonMapper.shared();
            var init = mapper.convertValue(json.readTree(INITIALIZE), McpSchema.JSONRPCRequest.class);
            mapper.convertValue(init.params(), new TypeRef<McpSchema.InitializeRequest>() {});
            var call = mapper.convertValue(json.readTree(CALL), McpSchema.JSONRPCRequest.class);
            var args = mapper.convertValue(call.params(), new TypeRef<McpSchema.CallToolRequest>() {});
            HubTools.validate(Tools.LIST_PROJECT_SESSIONS, args.arguments());
            var result = new McpSchema.InitializeResult("2025-06-18", McpSchema.ServerCapabilities.builder().tools(true).build(),
                    new McpSchema.Implementation("huddle", "0"), null);
            mapper.writeValueAsBytes(new McpSchema.JSONRPCResponse("2.0", 0, result, null));
            McpSchema.CallToolResult answer = ToolResults.error("warm-up", "not sent", null, Map.of());
            mapper.writeValueAsBytes(new McpSchema.JSONRPCResponse("2.0", 1, answer, null));
            json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "error", Map.of("code", 0, "message", "")));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.FINE, "JSON warm-up failed", e);
        }
    }
}
