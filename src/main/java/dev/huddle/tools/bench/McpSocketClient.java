package dev.huddle.tools.bench;

import dev.huddle.client.HubConnector;
import dev.huddle.protocol.Hello;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An agent session as the hub sees it, spoken by the benchmark itself: one socket connection with the mcp hello,
 * then MCP tool calls, one at a time. The hub proves a front's agent process from the socket (this process's parent,
 * shared by every such session), so each session names itself the way a thread of Codex's app-server does: its first
 * tool call carries its session id in {@code _meta.threadId}, which binds this connection alone to it. Calls go through the hub's real MCP path; only the front process is left out.
 * A watchdog closes the connection when a call outlives its deadline, which turns a hang into an IOException.
 */
final class McpSocketClient implements AutoCloseable {
    private final HubConnector.Connection conn;
    private final InputStream in;
    private final OutputStream out;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private int nextId = 10;

    private McpSocketClient(HubConnector.Connection conn) {
        this.conn = conn;
        this.in = conn.in(); // buffered already (it holds whatever came after the hello reply)
        this.out = conn.out();
        Thread.ofVirtual().name("mcp-client-watchdog").start(this::watch);
    }

    /**
     * Connects with the mcp hello, initializes, binds the session {@code CLAUDE_CODE_SESSION_ID} of {@code env} names (a
     * new one without) and returns the ready session.
     */
    static McpSocketClient connect(HubPaths paths, String cwd, Map<String, String> env, String clientName) throws IOException {
        Hello hello = Hello.front(null, null, cwd, env); // the hub reads the agent process itself
        McpSocketClient c = new McpSocketClient(new HubConnector(paths, Map.of()).open(hello, false, 10_000));
        try {
            Map<String, Object> init = c.request("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":" + MiniJson.write(clientName) + ",\"version\":\"1\"}}", 20_000);
            if (!init.containsKey("result")) throw new IOException("initialize failed: " + init);
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            toolResult(c.request("tools/call", JsonRpc.boundCall(env.getOrDefault("CLAUDE_CODE_SESSION_ID", java.util.UUID.randomUUID().toString())),
                    20_000));
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A tools/call with JSON arguments; returns the tool's JSON result (a JSON-RPC error becomes an IOException). */
    Map<String, Object> tool(String name, String argsJson, long timeoutMs) throws IOException {
        Map<String, Object> r = request("tools/call", "{\"name\":" + MiniJson.write(name) + ",\"arguments\":" + argsJson + "}", timeoutMs);
        return toolResult(r);
    }

    static Map<String, Object> toolResult(Map<String, Object> response) throws IOException {
        String text = toolText(response);
        if (!text.startsWith("{")) throw new IOException("tool error: " + text);
        return new LinkedHashMap<>(MiniJson.parseObject(text));
    }

    /** The text of a {@code tools/call} response's first content item (a JSON-RPC error becomes an IOException). */
    static String toolText(Map<String, Object> response) throws IOException {
        if (!(response.get("result") instanceof Map<?, ?> result)) throw new IOException("JSON-RPC error: " + response);
        Object content = result.get("content");
        if (!(content instanceof java.util.List<?> l) || l.isEmpty() || !(l.getFirst() instanceof Map<?, ?> item)) {
            throw new IOException("no content in " + response);
        }
        return String.valueOf(item.get("text"));
    }

    synchronized Map<String, Object> request(String method, String paramsJson, long timeoutMs) throws IOException {
        int id = ++nextId;
        deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
        try {
            send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + MiniJson.write(method) + ",\"params\":" + paramsJson + "}");
            while (true) {
                Map<String, Object> m = readMessage();
                if (!m.containsKey("method") && m.get("id") instanceof Number n && n.intValue() == id) return m;
            }
        } finally {
            deadlineNanos = Long.MAX_VALUE;
        }
    }

    private void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Map<String, Object> readMessage() throws IOException {
        String line = dev.huddle.client.HubConnector.readLine(in, Integer.MAX_VALUE);
        if (line == null) throw new IOException("the hub closed the connection");
        return new LinkedHashMap<>(MiniJson.parseObject(line));
    }

    private void watch() {
        while (conn.channel().isOpen()) {
            if (System.nanoTime() > deadlineNanos) {
                conn.close();
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
