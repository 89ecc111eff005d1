package dev.huddle.hub;

import dev.huddle.hub.control.ControlService;
import dev.huddle.core.HuddleError;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.identity.Callers;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.hub.mcp.LineReader;
import dev.huddle.hub.mcp.McpSessions;
import dev.huddle.protocol.Hello;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlOp;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.HubReply;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's main socket. Every connection starts with a hello line; an MCP front then speaks MCP, a control
 * client gets one reply. A connection that sends garbage, or nothing, is answered (when possible) and closed;
 * nothing a client sends can stop the hub serving the others.
 */
public final class HubServer {
    private static final Logger LOG = Logger.getLogger(HubServer.class.getName());
    private static final int MAX_HELLO_BYTES = 64 * 1024;
    private static final long HELLO_TIMEOUT_MS = 10_000;

    private final Lifecycle hub;
    private final Path socket;
    private final AgentRegistry registry;
    private final McpSessions mcp;
    private final ControlService control;
    private final ScheduledExecutorService timers;
    private final int maxLineBytes;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Callers callers = new Callers(new ProcessInspector());
    private ServerSocketChannel server;

    /** What the server tells the hub it serves. */
    interface Lifecycle {
        /** A client did something: the hub is not idle. */
        void touch();

        /** A client asked the hub to stop (or to hand over to a newer version). */
        void shutdownSoon(String reason);

        /** A front said hello: a {@link Rehearsal} running gives way to it. */
        default void frontArriving() {}

        /** Whether this server serves {@code caller} at all (beyond being of the hub's user): a rehearsal's only its own process. */
        default boolean admits(Caller caller) {
            return true;
        }
    }

    HubServer(Lifecycle hub, Path socket, AgentRegistry registry, McpSessions mcp, ControlService control,
              ScheduledExecutorService timers, int maxLineBytes) {
        this.hub = hub;
        this.socket = socket;
        this.registry = registry;
        this.mcp = mcp;
        this.control = control;
        this.timers = timers;
        this.maxLineBytes = maxLineBytes;
    }

    /** Binds the socket (mode 0600); connections queue in the backlog until {@link #acceptLoop} runs. */
    void bind() throws IOException {
        Files.deleteIfExists(socket); // stale from a crashed hub: we hold the hub lock, so no live hub owns it
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 512);
        Files.setPosixFilePermissions(socket, HubPaths.FILE_MODE);
    }

    void acceptLoop() {
        Thread.ofPlatform().name("hub-accept").daemon(true).start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    open.add(ch);
                    Thread.ofVirtual().name("hub-conn").start(() -> serve(ch));
                } catch (IOException e) {
                    if (server.isOpen()) LOG.log(Level.WARNING, "accept failed", e);
                }
            }
        });
    }

    int openConnections() {
        return open.size();
    }

    private void serve(SocketChannel ch) {
        var helloTimer = timers.schedule(() -> closeQuietly(ch), HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        try (ch) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 16 * 1024);
            Caller caller = callers.of(ch);
            if (!caller.sameUser()) {
                // the socket is 0600 in a 0700 directory; a process of another user got here anyway (root, a loose mode)
                LOG.warning("refused a connection from another user's process (pid " + caller.pid() + ")");
                reply(out, ControlReply.refused(new ControlError("forbidden", "this hub serves only its own user's processes")));
                return;
            }
            if (!hub.admits(caller)) {
                reply(out, ControlReply.refused(new ControlError("forbidden", "this socket serves only the hub's own rehearsal")));
                return;
            }
            LineReader reader = new LineReader(Channels.newInputStream(ch), Math.max(maxLineBytes, MAX_HELLO_BYTES));
            LineReader.Line first = reader.next();
            helloTimer.cancel(false);
            if (first == null) return; // a probe: connected and left
            Hello hello;
            try {
                if (first.oversized() || first.text().length() > MAX_HELLO_BYTES) throw new IllegalArgumentException("hello line too long");
                hello = Hello.parse(first.text());
            } catch (RuntimeException e) {
                reply(out, ControlReply.refused(new ControlError("bad-hello",
                        "expected a huddle hello line first (" + e.getMessage() + "); this socket is huddle's hub, spoken to by `huddle mcp` and the huddle CLI")));
                return;
            }
            Version client = new Version(hello.version(), hello.build());
            if (client.isNewerThan(Version.CURRENT) && hello.autostart()) {
                reply(out, ControlReply.refused(new ControlError("handover",
                        "this hub runs " + Version.CURRENT + "; handing over to the newer " + client)));
                hub.shutdownSoon("handover to newer client " + client);
                return;
            }
            if ("control".equals(hello.kind()) && control.streams(hello)) {
                control.stream(hello, line -> reply(out, line));
                return;
            }
            if ("control".equals(hello.kind())) {
                reply(out, control.handle(hello, caller));
                if (ControlOp.STOP.wireName().equals(hello.op())) hub.shutdownSoon("stop requested by pid " + caller.pid());
                return;
            }
            serveFront(hello, caller, ch, reader, out);
        } catch (IOException e) {
            LOG.fine(() -> "connection ended: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection failed", e);
        } finally {
            helloTimer.cancel(false);
            open.remove(ch);
        }
    }

    private void serveFront(Hello hello, Caller caller, SocketChannel ch, LineReader reader, OutputStream out) throws IOException {
        StartTimeline.mark("a front said hello");
        hub.frontArriving();
        FrontConnection conn;
        try {
            conn = registry.attach(hello, caller);
        } catch (HuddleError e) {
            LOG.warning("refused a front (pid " + caller.pid() + "): " + e.getMessage());
            reply(out, ControlReply.refused(new ControlError(e.code(), e.getMessage(), e.hint(), null)));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not register a front", e);
            reply(out, ControlReply.refused(new ControlError("register-failed", "the hub could not register this session: " + e.getMessage())));
            return;
        }
        hub.touch();
        try {
            reply(out, HubReply.welcome().line());
            StartTimeline.mark("the front welcomed");
            Thread.ofVirtual().name("terminal-locate").start(() -> {
                try {
                    registry.refreshTerminal(conn);
                } catch (RuntimeException e) {
                    LOG.fine(() -> "terminal lookup failed: " + e.getMessage());
                }
            });
            mcp.serve(conn, ch, reader, out);
        } finally {
            registry.detach(conn);
            hub.touch();
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }

    void close() {
        closeQuietly(server);
        for (SocketChannel ch : open) closeQuietly(ch);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // next hub removes it
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
