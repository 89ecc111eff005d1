package dev.huddle.tools.bench;

import dev.huddle.client.HubConnector;
import dev.huddle.protocol.Hello;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A front as the hub sees it, without a JVM of its own: one socket connection that says the mcp hello, then
 * {@code initialize}, {@code notifications/initialized} and one call that binds it to a session of its own (every such
 * front has this process's parent as its agent process, as the threads of Codex's app-server share theirs). Hundreds
 * fit in one benchmark process.
 */
final class RawFront implements AutoCloseable {
    private final HubConnector.Connection conn;

    private RawFront(HubConnector.Connection conn) {
        this.conn = conn;
    }

    static RawFront connect(HubPaths paths, String cwd, String clientName) throws IOException {
        Hello hello = Hello.front(null, null, cwd, Map.of()); // the hub reads the agent process itself
        HubConnector.Connection c = new HubConnector(paths, Map.of()).open(hello, false, 10_000);
        RawFront f = new RawFront(c);
        try {
            f.send(JsonRpc.initialize(clientName));
            Map<String, Object> r = f.readMessage();
            if (!r.containsKey("result")) throw new IOException("initialize failed: " + r);
            f.send(JsonRpc.INITIALIZED);
            f.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                    + JsonRpc.boundCall(java.util.UUID.randomUUID().toString()) + "}");
            Map<String, Object> bound = f.readMessage();
            if (!bound.containsKey("result")) throw new IOException("binding a session failed: " + bound);
        } catch (IOException e) {
            f.close();
            throw e;
        }
        return f;
    }

    void send(String line) throws IOException {
        conn.out().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        conn.out().flush();
    }

    Map<String, Object> readMessage() throws IOException {
        String line = dev.huddle.client.HubConnector.readLine(conn.in(), Integer.MAX_VALUE);
        if (line == null) throw new IOException("the hub closed the connection");
        return new LinkedHashMap<>(MiniJson.parseObject(line));
    }

    @Override
    public void close() {
        conn.close();
    }
}
