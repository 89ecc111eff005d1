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
 * A front as the hub sees it, without a JVM of its own: one socket connection that says the mcp hello (with a
 * made-up agent process: a pid that does not exist plus a start time, which the hub takes as given), then
 * {@code initialize} and {@code notifications/initialized}. Hundreds fit in one benchmark process.
 */
final class RawFront implements AutoCloseable {
    private final HubConnector.Connection conn;

    private RawFront(HubConnector.Connection conn) {
        this.conn = conn;
    }

    static RawFront connect(HubPaths paths, long fakePpid, long fakeStartMs, String cwd, String clientName) throws IOException {
        Hello hello = Hello.front(fakePpid, fakeStartMs, cwd, Map.of());
        HubConnector.Connection c = new HubConnector(paths, Map.of()).open(hello, false, 10_000);
        RawFront f = new RawFront(c);
        try {
            f.send(JsonRpc.initialize(clientName));
            Map<String, Object> r = f.readMessage();
            if (!r.containsKey("result")) throw new IOException("initialize failed: " + r);
            f.send(JsonRpc.INITIALIZED);
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
