package dev.huddle.client.front;

import dev.huddle.client.HubConnector;

import dev.huddle.protocol.AgentEnv;
import dev.huddle.protocol.Hello;
import dev.huddle.protocol.MiniJson;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code huddle mcp}: the stdio process an agent spawns. A JDK-only pipe between the agent and the hub, which
 * serves the MCP session. It only looks at each JSON-RPC line enough to keep four promises:
 * <ul>
 *   <li>no agent waits for a cold hub: the front answers {@code initialize} and {@code tools/list} itself from the
 *       catalogue that ships with the jar ({@link dev.huddle.protocol.tools.McpCatalogue}) while it connects in the
 *       background (starting a hub if none runs); the first tool call waits for the hub, at most
 *       {@link #HUB_WAIT_MS}, then gets a structured error. The hub still gets the same hello and the agent's
 *       {@code initialize} (its answer is swallowed), as soon as it is up;</li>
 *   <li>if the hub dies, every call in flight gets an error response, never silence;</li>
 *   <li>it reconnects (starting a fresh hub) and replays the session's {@code initialize}, so the agent's
 *       session carries on without a restart;</li>
 *   <li>it exits when stdin closes or the agent process (its parent) dies;</li>
 *   <li>a response that carries messages is acknowledged to the hub once it is on stdout, so the hub commits their
 *       delivery only then: a front killed before that leaves them to be offered again.</li>
 * </ul>
 * Nothing but MCP is ever written to stdout.
 */
public final class FrontMain {
    static final int MAX_LINE_BYTES = 1 << 20;
    /** How long a tool call waits for a hub that is starting (agents allow a tool call a minute or more). */
    static final long HUB_WAIT_MS = 20_000;
    /**
     * How long initialize waits for a hub that already accepts: a warm hub greets in milliseconds, a busy machine can
     * take a second or more, and peers should see an agent once it is initialized; well under the clients' MCP start-up
     * timeouts (Codex: 10 s).
     */
    private static final long WARM_HUB_WAIT_MS = 4_000;
    private static final long START_RETRY_PAUSE_MS = 5_000;
    private static final long DRAIN_ON_EOF_MS = 5_000;

    private final AgentOut agentOut;
    private final HubConnector connector;
    private final Hello baseHello;
    /** Requests forwarded to the hub and not yet answered, by JSON-encoded id. */
    private final Map<String, Object> inFlight = new ConcurrentHashMap<>();
    /** Ids of requests the front itself sent (the replayed initialize): their answers are swallowed. */
    private final Set<String> internalIds = ConcurrentHashMap.newKeySet();
    /** Requests being written to the hub right now (a connection lost meanwhile is their writer's to handle). */
    private final Set<String> writing = ConcurrentHashMap.newKeySet();
    /** Ids of responses the hub asked us to acknowledge once they are on stdout (they carry messages). */
    private final Set<String> awaitingAck = ConcurrentHashMap.newKeySet();
    private final Object connLock = new Object();
    private HubConnector.Connection conn; // guarded by connLock
    private CompletableFuture<HubConnector.Connection> attempt; // guarded by connLock: the connection being opened
    private boolean everConnected; // guarded by connLock: a later connection resumes the session
    private volatile String unavailableReason = "not connected yet";
    private Map<String, Object> initializeParams; // guarded by connLock: the agent's initialize, sent to each hub
    private boolean initializedSent; // guarded by connLock
    private int replays;
    private long startFailedAt; // guarded by connLock: a hub that refused to start is not re-spawned for 5 s

    FrontMain(OutputStream stdout, HubConnector connector, Hello baseHello) {
        this.agentOut = new AgentOut(stdout);
        this.connector = connector;
        this.baseHello = baseHello;
    }

    public static int run() {
        OutputStream realOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true)); // stray prints go to stderr
        FrontMain front = new FrontMain(realOut, HubConnector.fromEnvironment(), frontHello());
        ParentWatch.start(front.agentOut::flushQuietly);
        front.startConnecting(); // in the background: the agent's initialize is answered at once
        return front.pump(new java.io.BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16)); // one syscall per chunk, not per byte
    }

    static Hello frontHello() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        return Hello.front(parent == null ? null : parent.pid(),
                parent == null ? null : parent.info().startInstant().map(i -> i.toEpochMilli()).orElse(null),
                System.getProperty("user.dir"), AgentEnv.forwarded(System.getenv())) // identity and terminal hints, where transcripts are
                .acknowledgingDeliveries(true); // see onHubLine
    }

    /** Reads the agent's stdin line by line until EOF; returns the process exit code. */
    int pump(InputStream stdin) {
        try {
            while (true) {
                byte[] line = AgentLines.read(stdin, MAX_LINE_BYTES, this::rejectOversized);
                if (line == null) break;
                if (line.length == 0) continue;
                onAgentLine(line);
            }
        } catch (IOException e) {
            // stdin broken: the agent is gone
        }
        finishInFlight();
        agentOut.flushQuietly();
        return 0;
    }

    /**
     * stdin ended: give calls still in flight a bounded time to be answered and acknowledged (scripted use pipes a
     * request and closes stdin at once), then close.
     */
    private void finishInFlight() {
        HubConnector.Connection c;
        synchronized (connLock) {
            c = conn;
        }
        if (c == null) return;
        long deadline = System.currentTimeMillis() + DRAIN_ON_EOF_MS;
        while ((!inFlight.isEmpty() || !awaitingAck.isEmpty()) && System.currentTimeMillis() < deadline && c.channel().isOpen()) {
            HubConnector.sleep(10);
        }
        synchronized (connLock) {
            conn = null; // the reader's end-of-stream is expected now, not a lost hub
        }
        c.close();
    }

    private void rejectOversized(String prefix) {
        Object id = JsonRpc.sniffId(prefix);
        if (id != null) agentOut.line(JsonRpc.error(id, -32600, "request line exceeds 1 MiB; huddle rejected it"));
    }

    private void onAgentLine(byte[] bytes) {
        String line = new String(bytes, StandardCharsets.UTF_8);
        Map<String, Object> msg;
        try {
            msg = MiniJson.parseObject(line);
        } catch (IllegalArgumentException notAnObject) {
            forwardMalformed(line, bytes);
            return;
        }
        String method = JsonRpc.asString(msg.get("method"));
        boolean isRequest = method != null && msg.containsKey("id");
        // Only a well-formed request is answered here; the hub says what is wrong with any other (one set of errors).
        boolean wellFormed = "2.0".equals(msg.get("jsonrpc")) && JsonRpc.validId(msg);
        if (isRequest && wellFormed && answeredHere(method, msg)) return;
        if (wellFormed && "notifications/initialized".equals(method)) {
            noteInitialized(bytes);
            return;
        }
        String key = isRequest ? MiniJson.write(msg.get("id")) : null;
        // A line the old hub's closed socket refused never reached any hub: it goes once more, to a fresh one (a
        // hub killed a moment ago is noticed here first when the reader has not seen its end yet: a busy machine).
        for (int attempt = 0; attempt < 2; attempt++) {
            HubConnector.Connection c = isRequest ? awaitHub(HUB_WAIT_MS) : current(); // a notification waits for nobody
            if (c == null) break;
            if (key != null) {
                inFlight.put(key, msg.get("id"));
                writing.add(key);
            }
            boolean sent = false;
            try {
                writeLine(c, bytes);
                sent = true;
            } catch (IOException e) {
                if (key != null) inFlight.remove(key);
                lost(c, "the huddle hub connection broke: " + e.getMessage());
            } finally {
                if (key != null) writing.remove(key);
            }
            if (sent) {
                // the hub died while this was being written: lost() left it to us (it may or may not have arrived)
                if (key != null && current() != c && inFlight.remove(key) != null) agentOut.line(JsonRpc.error(msg.get("id"), -32000, JsonRpc.inFlightLost(unavailableReason)));
                return;
            }
        }
        if (isRequest) {
            agentOut.line(JsonRpc.error(msg.get("id"), -32000, "huddle hub unavailable: " + unavailableReason
                    + ". Retry in a moment; if it persists run `huddle doctor` in a terminal.", "hub-unavailable",
                    "Retry the call; the front keeps starting the hub. A human can run `huddle doctor`."));
        }
    }

    /**
     * A line that is no JSON object MiniJson reads (not JSON, an array, nested too deep): the hub, which reads lines as
     * the SDK does, answers it with the error that says what is wrong; without a hub the front says it is no JSON.
     */
    private void forwardMalformed(String line, byte[] bytes) {
        HubConnector.Connection c = awaitHub(HUB_WAIT_MS);
        if (c != null) {
            try {
                writeLine(c, bytes);
                return;
            } catch (IOException e) {
                lost(c, "the huddle hub connection broke: " + e.getMessage());
            }
        }
        agentOut.line(JsonRpc.error(JsonRpc.sniffId(line), -32700, "parse error: the line is not valid JSON"));
    }

    /**
     * What the front answers itself, hub or no hub: {@code initialize} (the hub gets the agent's own, as soon as
     * it is connected), {@code tools/list} and {@code ping}. The catalogue is the jar's: it is the hub's too.
     */
    private boolean answeredHere(String method, Map<String, Object> msg) {
        switch (method) {
            case "initialize" -> {
                // A hub that accepts answers the hello in milliseconds: then, as ever, the agent is known to its peers
                // when its initialize is answered. Only a cold start (nothing accepts) is answered without waiting.
                if (current() == null && connector.socketAccepts()) awaitHub(WARM_HUB_WAIT_MS);
                Map<String, Object> params = JsonRpc.asMap(msg.get("params"));
                boolean hubBroken;
                synchronized (connLock) {
                    initializeParams = params;
                    if (conn != null) sendInitialize(conn);
                    hubBroken = conn == null && recentlyFailed();
                }
                agentOut.line(JsonRpc.initialize(msg.get("id"), params, hubBroken ? unavailableReason : null));
                startConnecting();
                return true;
            }
            case "tools/list" -> {
                agentOut.line(JsonRpc.toolsList(msg.get("id")));
                return true;
            }
            case "ping" -> {
                agentOut.line(JsonRpc.result(msg.get("id"), Map.of()));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The agent finished its handshake: the hub hears it now, or with the initialize when it connects. */
    private void noteInitialized(byte[] line) {
        synchronized (connLock) {
            initializedSent = true;
            if (conn == null) return;
            try {
                writeLine(conn, line);
            } catch (IOException brokenTheReaderNotices) {
                // the next connection replays the handshake
            }
        }
    }

    private static void writeLine(HubConnector.Connection c, byte[] line) throws IOException {
        synchronized (c) {
            c.out().write(line);
            c.out().write('\n');
            c.out().flush();
        }
    }

    private HubConnector.Connection current() {
        synchronized (connLock) {
            return conn;
        }
    }

    /** The live connection, or the one being opened, waiting at most {@code waitMs}; null if none came. */
    private HubConnector.Connection awaitHub(long waitMs) {
        try {
            return startConnecting().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            unavailableReason = "the hub did not answer within " + waitMs + " ms";
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            unavailableReason = String.valueOf(e.getCause());
            return null;
        }
    }

    /**
     * Opens a connection in the background unless one is open or being opened; a hub that refused to start is not
     * re-spawned for {@link #START_RETRY_PAUSE_MS} (its future completes with null at once).
     */
    CompletableFuture<HubConnector.Connection> startConnecting() {
        synchronized (connLock) {
            if (conn != null) return CompletableFuture.completedFuture(conn);
            if (attempt != null && !attempt.isDone()) return attempt;
            if (recentlyFailed()) return CompletableFuture.completedFuture(null);
            boolean resume = everConnected;
            CompletableFuture<HubConnector.Connection> f = new CompletableFuture<>();
            attempt = f;
            Thread.ofPlatform().daemon().name("huddle-hub-connect").start(() -> f.complete(connect(resume, HUB_WAIT_MS)));
            return f;
        }
    }

    private boolean recentlyFailed() {
        return System.currentTimeMillis() - startFailedAt < START_RETRY_PAUSE_MS;
    }

    /** Sends the agent's initialize (and initialized) to a fresh hub connection; the hub's answer is swallowed. */
    private void sendInitialize(HubConnector.Connection c) {
        String id = "huddle-front-init-" + (++replays);
        internalIds.add(MiniJson.write(id));
        try {
            synchronized (c) {
                c.out().write((JsonRpc.request(id, "initialize", initializeParams) + "\n").getBytes(StandardCharsets.UTF_8));
                if (initializedSent) {
                    c.out().write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n".getBytes(StandardCharsets.UTF_8));
                }
                c.out().flush();
            }
        } catch (IOException e) {
            // the reader notices the broken connection
        }
    }

    /**
     * Connects (starting a hub if needed) with the same hello as ever ({@code resume} after a lost hub), sends the
     * agent's handshake if it came already, starts the reader; null when no hub came within {@code budgetMs}.
     */
    private HubConnector.Connection connect(boolean resume, long budgetMs) {
        long deadline = System.currentTimeMillis() + budgetMs;
        long backoff = 50;
        while (true) {
            try {
                HubConnector.Connection c = connector.open(baseHello.resuming(resume), true,
                        Math.max(1000, deadline - System.currentTimeMillis()));
                synchronized (connLock) {
                    if (initializeParams != null) sendInitialize(c);
                    conn = c;
                    everConnected = true;
                }
                startReader(c);
                return c;
            } catch (HubConnector.HubStartFailedException e) {
                synchronized (connLock) {
                    unavailableReason = e.getMessage(); // e.g. a corrupt database: retrying at once cannot help
                    startFailedAt = System.currentTimeMillis();
                }
                return null;
            } catch (IOException e) {
                unavailableReason = e.getMessage();
                if (System.currentTimeMillis() + backoff > deadline) return null;
                HubConnector.sleep(backoff);
                backoff = Math.min(backoff * 2, 1000);
            }
        }
    }

    private void startReader(HubConnector.Connection c) {
        Thread t = new Thread(() -> {
            try {
                InputStream in = c.in();
                ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    int start = 0;
                    for (int k = 0; k < n; k++) {
                        if (chunk[k] == '\n') {
                            buf.write(chunk, start, k - start);
                            onHubLine(c, buf.toByteArray());
                            buf.reset();
                            start = k + 1;
                        }
                    }
                    buf.write(chunk, start, n - start);
                }
            } catch (IOException ignored) {
                // connection lost
            }
            lost(c, "the huddle hub stopped (it is being restarted)");
        }, "huddle-hub-reader");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A line from the hub: a response or notification for the agent, or the hub's request to acknowledge the response
     * that follows. That one is acknowledged after it was written and flushed to stdout: from then on it is the
     * agent's (what remains is the agent's own pipe); a front killed before that leaves its messages undelivered.
     */
    private void onHubLine(HubConnector.Connection c, byte[] bytes) {
        if (bytes.length == 0) return;
        if (DeliveryAck.isAck(bytes)) {
            String key = DeliveryAck.idKey(bytes);
            if (key != null) awaitingAck.add(key);
            return;
        }
        String id = JsonRpc.responseIdKey(bytes);
        if (id != null) {
            if (internalIds.remove(id)) return; // answer to the front's own initialize
            inFlight.remove(id);
        }
        agentOut.line(bytes);
        if (id != null && awaitingAck.contains(id)) {
            try {
                synchronized (c) {
                    c.out().write(DeliveryAck.line(id));
                    c.out().flush();
                }
            } catch (IOException e) {
                // the hub is gone: it offers these messages again, under the same ids
            } finally {
                awaitingAck.remove(id);
            }
        }
    }

    /**
     * The connection died: fail what was in flight. Reconnection is lazy (on the agent's next line), so that
     * `huddle hub stop` really stops the hub until someone needs it again.
     */
    private void lost(HubConnector.Connection c, String why) {
        synchronized (connLock) {
            if (conn != c) return;
            conn = null;
            unavailableReason = why;
        }
        c.close();
        awaitingAck.clear(); // that hub dropped those offers with the connection
        List<Object> pending = new ArrayList<>();
        for (String key : List.copyOf(inFlight.keySet())) {
            if (writing.contains(key)) continue; // its writer finds out and decides (onAgentLine)
            Object id = inFlight.remove(key);
            if (id != null) pending.add(id);
        }
        for (Object id : pending) agentOut.line(JsonRpc.error(id, -32000, JsonRpc.inFlightLost(why)));
    }
}
