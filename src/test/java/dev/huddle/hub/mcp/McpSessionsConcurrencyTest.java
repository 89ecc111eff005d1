package dev.huddle.hub.mcp;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.protocol.Hello;

import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking tool calls on one connection run concurrently on virtual threads: 200 calls that each block until all 200
 * are running all finish, at once; the SDK's bounded pool (10 x 2 cores) would run 20 of them and leave them waiting.
 */
class McpSessionsConcurrencyTest {

    @Test
    @Timeout(60)
    void twoHundredBlockingCallsAreNotCappedByABoundedPool(@TempDir Path tmp) throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            ProcessInspector procs = new ProcessInspector();
            AgentRegistry registry = new AgentRegistry(new SqliteAgentStore(db), db, procs, new TerminalLocator(procs),
                    new ProjectLocator(new NioFileProbe()), Clock.systemUTC(), dev.huddle.agents.AgentClients.installed(),
                    java.time.Duration.ofHours(24), new dev.huddle.hub.identity.OfflineListeners());
            var mapper = McpJsonDefaults.getMapper();
            Deliveries deliveries = new Deliveries(new dev.huddle.store.sqlite.SqliteMessageStore(db), db, Clock.systemUTC());
            McpSessions sessions = new McpSessions(mapper, registry, deliveries, 1 << 20);
            McpSchema.Tool slow = McpSchema.Tool.builder().name("slow").description("blocks until 200 calls run")
                    .inputSchema(mapper, "{\"type\":\"object\"}").build();
            CountDownLatch running = new CountDownLatch(200);
            McpSyncServer server = McpServer.sync(sessions).immediateExecution(true)
                    .toolCall(slow, (ex, req) -> {
                        running.countDown();
                        boolean together = false;
                        try {
                            together = running.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return McpSchema.CallToolResult.builder().addTextContent(together ? "done" : "capped").build();
                    }).build();

            Path sock = tmp.resolve("t.sock");
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                listener.bind(UnixDomainSocketAddress.of(sock));
                Thread.ofVirtual().start(() -> {
                    try {
                        SocketChannel ch = listener.accept();
                        Hello hello = Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"pid\":1,\"cwd\":\"" + tmp + "\"}");
                        FrontConnection conn = registry.attach(hello, dev.huddle.hub.identity.Caller.unproven("in-process", true));
                        sessions.serve(conn, ch, new LineReader(Channels.newInputStream(ch), 1 << 20),
                                new BufferedOutputStream(Channels.newOutputStream(ch)));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                    OutputStream out = Channels.newOutputStream(client);
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                    out.write(("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                            + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertThat(in.readLine()).contains("\"id\":0");
                    long t0 = System.nanoTime();
                    StringBuilder calls = new StringBuilder();
                    for (int i = 1; i <= 200; i++) {
                        calls.append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
                                .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{}}}\n");
                    }
                    out.write(calls.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Set<Object> answered = new HashSet<>();
                    for (int i = 0; i < 200; i++) {
                        var msg = JsonMapper.shared().readTree(in.readLine());
                        assertThat(msg.path("result").path("content").get(0).path("text").asString()).isEqualTo("done");
                        answered.add(msg.get("id").asInt());
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(answered).hasSize(200);
                    assertThat(ms).as("200 concurrent blocking calls took %d ms", ms).isLessThan(5_000);
                }
            } finally {
                server.close();
            }
        }
    }
}
