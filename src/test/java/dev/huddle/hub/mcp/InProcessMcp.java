package dev.huddle.hub.mcp;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.protocol.Hello;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The hub's MCP transport in the test's own process: a registry on a scratch database, {@link McpSessions}, and one
 * front's connection served over a Unix socket. Build the SDK server on {@link #sessions()}, then {@link #connect()}.
 */
public final class InProcessMcp implements AutoCloseable {
    private final Path dir;
    private final SqliteDatabase db;
    private final AgentRegistry registry;
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
    private final McpSessions sessions;
    private ServerSocketChannel listener;

    public InProcessMcp(Path dir) {
        this.dir = dir;
        this.db = SqliteDatabase.open(dir.resolve("h.db"));
        ProcessInspector procs = new ProcessInspector();
        this.registry = new AgentRegistry(new SqliteAgentStore(db), db, procs, new TerminalLocator(procs),
                new ProjectLocator(new NioFileProbe()), Clock.systemUTC(), AgentClients.installed(), Duration.ofHours(24),
                new OfflineListeners());
        this.sessions = new McpSessions(mapper, registry, new Deliveries(new SqliteMessageStore(db), db, Clock.systemUTC()), 1 << 20);
    }

    public McpJsonMapper mapper() {
        return mapper;
    }

    public McpSessions sessions() {
        return sessions;
    }

    /** A front's connection, served by {@link #sessions()} on a thread of its own (hello already done). */
    public SocketChannel connect() throws IOException {
        Path sock = dir.resolve("t.sock");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(sock));
        Thread.ofVirtual().start(() -> {
            try {
                SocketChannel ch = listener.accept();
                Hello hello = Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"pid\":1,\"cwd\":\"" + dir + "\"}");
                FrontConnection conn = registry.attach(hello, Caller.unproven("in-process", true));
                sessions.serve(conn, ch, new LineReader(Channels.newInputStream(ch), 1 << 20),
                        new BufferedOutputStream(Channels.newOutputStream(ch)));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        return SocketChannel.open(UnixDomainSocketAddress.of(sock));
    }

    @Override
    public void close() throws IOException {
        if (listener != null) listener.close();
        db.close();
    }
}
