package dev.huddle.hub.mcp;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.protocol.Hello;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCP transport of the hub: one SDK server session per front connection, newline-delimited JSON-RPC over
 * the Unix socket. Unlike the SDK's stdio transport it survives bad input: a malformed or oversized line gets a
 * JSON-RPC error and the session goes on. {@code initialize} and notifications are handled in order on the
 * connection's reader; every other request runs on its own virtual thread, so long-blocking tools are not capped
 * by a bounded pool. A front that says {@code delivery_acks} in its hello gets {@code {"huddle_ack":<id>}} before
 * each response that carries messages and sends the same line back once it wrote that response to its stdout: only
 * then are the messages delivered (see {@link Deliveries}).
 */
public final class McpSessions implements McpServerTransportProvider {
    private static final Logger LOG = Logger.getLogger(McpSessions.class.getName());
    static final String CONNECTION_KEY = "huddle.connection";
    static final String REQUEST_KEY = "huddle.request";
    /** Concurrent requests per connection; more get an error instead of unbounded threads. */
    static final int MAX_IN_FLIGHT = 256;
    /** After a front's input ends, how long its calls still running may take to answer. */
    private static final long DRAIN_SECONDS = 5;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.){0,200}\"|-?\\d{1,18})");

    private final McpJsonMapper mapper;
    private final JsonMapper json = JsonMapper.shared();
    private final AgentRegistry registry;
    private final Deliveries deliveries;
    private final int maxLineBytes;
    private final Map<String, McpServerSession> sessions = new ConcurrentHashMap<>();
    private volatile McpServerSession.Factory factory;

    public McpSessions(McpJsonMapper mapper, AgentRegistry registry, Deliveries deliveries, int maxLineBytes) {
        this.mapper = mapper;
        this.registry = registry;
        this.deliveries = deliveries;
        this.maxLineBytes = maxLineBytes;
    }

    static FrontConnection connectionOf(McpTransportContext ctx) {
        return ctx == null ? null : ctx.get(CONNECTION_KEY) instanceof FrontConnection c ? c : null;
    }

    /** The JSON-RPC request a tool call belongs to (its response carries the call's deliveries). */
    static Deliveries.RequestRef requestOf(McpTransportContext ctx) {
        return ctx == null ? null : ctx.get(REQUEST_KEY) instanceof Deliveries.RequestRef r ? r : null;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        this.factory = factory;
    }

    /** Serves the MCP session of a greeted front until its connection ends. */
    public void serve(FrontConnection conn, SocketChannel channel, LineReader reader, OutputStream out) {
        ConnTransport transport = new ConnTransport(conn, channel, out);
        McpServerSession session = factory.create(transport);
        sessions.put(session.getId(), session);
        Calls calls = new Calls(out);
        try {
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                if (line.oversized()) {
                    transport.sendRaw(error(sniffId(line.text()), -32600,
                            "request line exceeds " + (maxLineBytes >> 20) + " MiB; it was discarded"));
                    continue;
                }
                if (line.malformed()) {
                    transport.sendRaw(error(sniffId(line.text()), -32700, "parse error: the line is not valid UTF-8"));
                    continue;
                }
                if (line.text().isBlank()) continue;
                if (transport.acks && line.text().startsWith(ACK_PREFIX)) {
                    acknowledged(conn, line.text());
                    continue;
                }
                dispatch(conn, session, transport, calls, line.text());
            }
        } catch (IOException gone) {
            // the front went away
        } finally {
            calls.awaitAll(); // a half-closed front still reads the answers to its last calls
            calls.interruptAll(); // anything still waiting (an ask) ends: nobody is left to read its answer
            calls.awaitAll(); // and is gone before its offers are withdrawn (an offer made after that would stay reserved)
            deliveries.connectionClosed(conn);
            sessions.remove(session.getId());
            session.close();
        }
    }

    private static final String ACK_PREFIX = "{\"" + Hello.DELIVERY_ACK + "\":";

    /** The front wrote a response carrying messages to its stdout: they are delivered. */
    private void acknowledged(FrontConnection conn, String line) {
        try {
            Object id = idValue(json.readTree(line).get(Hello.DELIVERY_ACK));
            if (id != null) deliveries.responseWritten(new Deliveries.RequestRef(conn.id(), id));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a delivery receipt could not be recorded (its messages are offered again)", e);
        }
    }

    /** The requests of one connection that are running, so they can be cancelled or awaited. */
    private static final class Calls {
        private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
        private final Map<String, Thread> running = new ConcurrentHashMap<>();
        /** The connection's write lock: an interrupt never lands while a thread writes to the channel. */
        private final Object writeLock;

        Calls(Object writeLock) {
            this.writeLock = writeLock;
        }

        boolean tryStart() {
            return slots.tryAcquire();
        }

        void started(Object id, Thread t) {
            if (id != null) running.put(key(id), t);
        }

        void finished(Object id) {
            if (id != null) running.remove(key(id));
            slots.release();
        }

        void cancel(Object id) {
            Thread t = id == null ? null : running.get(key(id));
            if (t != null) {
                synchronized (writeLock) {
                    t.interrupt();
                }
            }
        }

        void awaitAll() {
            try {
                if (slots.tryAcquire(MAX_IN_FLIGHT, DRAIN_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) slots.release(MAX_IN_FLIGHT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void interruptAll() {
            synchronized (writeLock) {
                running.values().forEach(Thread::interrupt);
            }
        }

        private static String key(Object id) {
            return id instanceof Number n ? "n" + n.longValue() : "s" + id;
        }
    }

    private void dispatch(FrontConnection conn, McpServerSession session, ConnTransport transport, Calls calls, String text) {
        Parsed p = parse(transport, text);
        if (p == null) return; // answered with a JSON-RPC error
        Object id = p.id();
        Map<String, Object> ctxValues = new java.util.HashMap<>();
        ctxValues.put(CONNECTION_KEY, conn);
        if (id != null) ctxValues.put(REQUEST_KEY, new Deliveries.RequestRef(conn.id(), id));
        McpTransportContext ctx = McpTransportContext.create(ctxValues);
        if (p.message() instanceof McpSchema.JSONRPCRequest req && !"initialize".equals(req.method())) {
            if (!calls.tryStart()) {
                transport.sendRaw(error(id, -32000, "too many concurrent requests on this connection (" + MAX_IN_FLIGHT + ")"));
                return;
            }
            Thread t = Thread.ofVirtual().name("mcp-call-" + conn.id()).unstarted(() -> {
                try {
                    run(session, ctx, p.message());
                } finally {
                    calls.finished(id);
                }
            });
            calls.started(id, t);
            t.start();
            return;
        }
        if (p.message() instanceof McpSchema.JSONRPCNotification n && "notifications/cancelled".equals(n.method())) {
            calls.cancel(idValue(p.node().path("params").path("requestId")));
        }
        if (p.message() instanceof McpSchema.JSONRPCRequest init) noteClientInfo(conn, init);
        run(session, ctx, p.message());
    }

    /** One line as JSON-RPC: its tree, its id, and the SDK's message. */
    private record Parsed(JsonNode node, Object id, McpSchema.JSONRPCMessage message) {}

    /** Parses a line once; null when it is not a JSON-RPC 2.0 message the SDK takes (it was answered with an error). */
    private Parsed parse(ConnTransport transport, String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (StreamConstraintsException e) {
            transport.sendRaw(error(sniffId(text), -32700, "parse error: the line is beyond what huddle parses (at most "
                    + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels of nesting, and strings, names and numbers of sane lengths)"));
            return null;
        } catch (RuntimeException e) {
            transport.sendRaw(error(null, -32700, "parse error: the line is not valid JSON"));
            return null;
        }
        Object id = node.isObject() && node.has("id") ? idValue(node.get("id")) : null;
        if (!node.isObject() || !"2.0".equals(node.path("jsonrpc").asString(null))) {
            transport.sendRaw(error(id, -32600, "invalid request: expected a JSON-RPC 2.0 object"));
            return null;
        }
        JsonNode rawId = node.get("id");
        if (rawId != null && !rawId.isNull() && !rawId.isString() && !rawId.isIntegralNumber()) {
            transport.sendRaw(error(null, -32600, "invalid request: id must be a string or an integer"));
            return null;
        }
        JsonNode arguments = node.path("params").path("arguments");
        if ("tools/call".equals(node.path("method").asString(null)) && !arguments.isMissingNode() && !arguments.isNull()
                && !arguments.isObject()) {
            transport.sendRaw(error(id, -32602, "invalid params: tools/call arguments must be a JSON object"));
            return null;
        }
        try {
            return new Parsed(node, id, message(node));
        } catch (RuntimeException e) {
            // the SDK's types refused it; their exception text names library classes, so it stays in the log
            LOG.fine(() -> "a JSON-RPC line did not convert: " + e);
            transport.sendRaw(error(id, -32600, "invalid request: not a JSON-RPC 2.0 request, notification or response"
                    + " (a method with optional params and id, or an id with a result or an error)"));
            return null;
        }
    }

    /**
     * The SDK's message for a JSON-RPC object, converted from the tree this line was parsed into once: the same
     * dispatch on its keys as {@link McpSchema#deserializeJsonRpcMessage}, which would parse the text a second time.
     */
    private McpSchema.JSONRPCMessage message(JsonNode node) {
        Class<? extends McpSchema.JSONRPCMessage> type;
        if (node.has("method")) {
            type = node.has("id") ? McpSchema.JSONRPCRequest.class : McpSchema.JSONRPCNotification.class;
        } else if (node.has("result") || node.has("error")) {
            type = McpSchema.JSONRPCResponse.class;
        } else {
            throw new IllegalArgumentException("neither a method nor a result or an error");
        }
        return mapper.convertValue(node, type);
    }

    private void noteClientInfo(FrontConnection conn, McpSchema.JSONRPCRequest init) {
        try {
            McpSchema.InitializeRequest req = mapper.convertValue(init.params(), new TypeRef<McpSchema.InitializeRequest>() {});
            if (req.clientInfo() != null) registry.clientInfo(conn, req.clientInfo().name(), req.clientInfo().version());
        } catch (RuntimeException e) {
            LOG.fine(() -> "initialize without usable clientInfo: " + e.getMessage());
        }
    }

    private static void run(McpServerSession session, McpTransportContext ctx, McpSchema.JSONRPCMessage msg) {
        try {
            session.handle(msg).contextWrite(c -> c.put(McpTransportContext.KEY, ctx)).block();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "MCP message handling failed", e);
        }
    }

    private static Object idValue(JsonNode id) {
        if (id == null || id.isMissingNode()) return null;
        if (id.isIntegralNumber()) return id.asLong();
        if (id.isString()) return id.asString();
        return null;
    }

    static Object sniffId(String prefix) {
        Matcher m = ID.matcher(prefix);
        if (!m.find()) return null;
        String v = m.group(1);
        if (v.startsWith("\"")) return JsonMapper.shared().readValue(v, String.class);
        return Long.parseLong(v);
    }

    private String error(Object id, int code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code);
        err.put("message", message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("error", err);
        return json.writeValueAsString(m);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(s -> s.sendNotification(method, params).onErrorResume(e -> Mono.empty()))
                .then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> sessions.values().forEach(McpServerSession::close));
    }

    /** Writes whole lines to one connection; a closed connection swallows writes. */
    private final class ConnTransport implements McpServerTransport {
        private final FrontConnection conn;
        private final SocketChannel channel;
        private final OutputStream out;
        /** The front acknowledges responses that carry messages. */
        final boolean acks;

        ConnTransport(FrontConnection conn, SocketChannel channel, OutputStream out) {
            this.conn = conn;
            this.channel = channel;
            this.out = out;
            this.acks = conn.hello().deliveryAcks();
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                try {
                    byte[] bytes = mapper.writeValueAsBytes(message);
                    if (message instanceof McpSchema.JSONRPCResponse r && r.id() != null) {
                        Deliveries.RequestRef ref = new Deliveries.RequestRef(conn.id(), r.id());
                        if (acks && deliveries.carriesOffers(ref)) {
                            // delivered when the front says it wrote this to its stdout (acknowledged)
                            write((ACK_PREFIX + json.writeValueAsString(r.id()) + "}").getBytes(StandardCharsets.UTF_8), bytes);
                        } else {
                            write(bytes);
                            deliveries.responseWritten(ref); // an older front: on the socket is as far as we can see
                        }
                    } else {
                        write(bytes);
                    }
                } catch (IOException e) {
                    LOG.fine(() -> "dropping a message to a closed front: " + e.getMessage());
                }
            });
        }

        void sendRaw(String line) {
            try {
                write(line.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // front gone
            }
        }

        /** Writes each as a line, together (a delivery request and its response arrive as a pair). */
        private void write(byte[]... lines) throws IOException {
            synchronized (out) {
                // The channel is interruptible: a write by an interrupted thread (a cancelled ask answering) would
                // close it (ClosedByInterruptException) and end the front's whole connection. So the write runs
                // with the flag cleared; Calls interrupts under this same lock, so no interrupt lands mid-write.
                boolean interrupted = Thread.interrupted();
                try {
                    for (byte[] bytes : lines) {
                        out.write(bytes);
                        out.write('\n');
                    }
                    out.flush();
                } finally {
                    if (interrupted) Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
