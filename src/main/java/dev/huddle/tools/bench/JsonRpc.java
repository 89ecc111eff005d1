package dev.huddle.tools.bench;

import dev.huddle.protocol.MiniJson;

/** The JSON-RPC lines the benchmarks write to a front or a hub session themselves. */
final class JsonRpc {
    private JsonRpc() {}

    /** A front's first request, as a bench client (id 1). */
    static final String INITIALIZE = initialize("huddle-bench");
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    /** {@code initialize} (id 1) from a client of this name. */
    static String initialize(String clientName) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":" + MiniJson.write(clientName) + ",\"version\":\"1\"}}}";
    }

    /**
     * The params of a {@code get_my_session} call naming {@code sessionId} in {@code _meta.threadId}: it binds the front
     * that makes it to that session alone, one of several sessions of one process (as Codex's app-server threads).
     */
    static String boundCall(String sessionId) {
        return "{\"name\":\"get_my_session\",\"arguments\":{},\"_meta\":{\"threadId\":" + MiniJson.write(sessionId) + "}}";
    }

    /** A {@code tools/call} of {@code tool} with JSON arguments. */
    static String toolCall(int id, String tool, String argsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":" + MiniJson.write(tool)
                + ",\"arguments\":" + argsJson + "}}";
    }
}
