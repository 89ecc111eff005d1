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
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code huddle mcp}: the stdio process an agent spawns. A JDK-only pipe between the agent and the hub, which
 * serves the MCP session. It only looks at each JSON-RPC line enough to keep three promises:
 * <ul>
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
    /** At start-up the agent waits for initialize (Codex gives up after 10 s), so fail fast and answer degraded. */
    private static final long STARTUP_BUDGET_MS = 8_000;
    private static final long RECONNECT_BUDGET_MS = 15_000;
    private static final long START_RETRY_PAUSE_MS = 5_000;
    private static final long DRAIN_ON_EOF_MS = 5_000;

    private final OutputStream stdout;
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
    private String unavailableReason = "not connected yet";
    private Map<String, Object> initializeParams; // the agent's initialize, replayed after a reconnect
    private boolean initializedSent;
    private int replays;
    private long startFailedAt; // guarded by connLock: a hub that refused to start is not re-spawned for 5 s

    FrontMain(OutputStream stdout, HubConnector connector, Hello baseHello) {
        this.stdout = stdout;
        this.connector = connector;
        this.baseHello = baseHello;
    }

    public static int run() {
        OutputStream realOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true)); // stray prints go to stderr
        FrontMain front = new FrontMain(realOut, HubConnector.fromEnvironment(), frontHello());
        front.watchParent();
        front.connect(false, STARTUP_BUDGET_MS);
        return front.pump(new java.io.BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16)); // one syscall per chunk, not per byte
    }

    static Hello frontHello() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        return Hello.front(parent == null ? null : parent.pid(),
                parent == null ? null : parent.info().startInstant().map(i -> i.toEpochMilli()).orElse(null),
                System.getProperty("user.dir"), AgentEnv.forwarded(System.getenv())) // identity and terminal hints, where transcripts are
                .acknowledgingDeliveries(true); // see onHubLine
    }

    /** Exits when the agent process is gone (or we were re-parented): an orphaned front must not linger. */
    private void watchParent() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) return;
        long parentPid = parent.pid();
        Thread t = new Thread(() -> {
            while (true) {
                HubConnector.sleep(1000);
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (!parent.isAlive() || now != parentPid) {
                    flushQuietly();
                    Runtime.getRuntime().halt(0);
                }
            }
        }, "huddle-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Reads the agent's stdin line by line until EOF; returns the process exit code. */
    int pump(InputStream stdin) {
        try {
            while (true) {
                byte[] line = readLine(stdin);
                if (line == null) break;
                if (line.length == 0) continue;
                onAgentLine(line);
            }
        } catch (IOException e) {
            // stdin broken: the agent is gone
        }
        finishInFlight();
        flushQuietly();
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

    /** A line of at most {@link #MAX_LINE_BYTES}; an oversized line comes back as a marker array of length 1 + prefix. */
    private byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        boolean oversized = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0 && !oversized) return null;
                break;
            }
            if (b == '\n') break;
            if (buf.size() < MAX_LINE_BYTES) buf.write(b);
            else oversized = true;
        }
        if (oversized) {
            rejectOversized(buf.toString(StandardCharsets.UTF_8));
            return new byte[0];
        }
        return buf.toByteArray();
    }

    private void rejectOversized(String prefix) {
        Object id = JsonRpc.sniffId(prefix);
        if (id != null) emit(JsonRpc.error(id, -32600, "request line exceeds 1 MiB; huddle rejected it"));
    }

    private void onAgentLine(byte[] bytes) {
        String line = new String(bytes, StandardCharsets.UTF_8);
        Map<String, Object> msg;
        try {
            msg = MiniJson.parseObject(line);
        } catch (IllegalArgumentException notJson) {
            msg = null; // the hub answers with a parse error, or we do below if it is down
        }
        String method = msg == null ? null : asString(msg.get("method"));
        boolean isRequest = msg != null && method != null && msg.containsKey("id");
        if ("initialize".equals(method) && isRequest) {
            initializeParams = asMap(msg.get("params"));
        } else if ("notifications/initialized".equals(method)) {
            initializedSent = true;
        }
        String key = isRequest ? MiniJson.write(msg.get("id")) : null;
        // A line the old hub's closed socket refused never reached any hub: it goes once more, to a fresh one (a
        // hub killed a moment ago is noticed here first when the reader has not seen its end yet: a busy machine).
        for (int attempt = 0; attempt < 2; attempt++) {
            HubConnector.Connection c = currentOrReconnect(!"initialize".equals(method));
            if (c == null) break;
            if (key != null) {
                inFlight.put(key, msg.get("id"));
                writing.add(key);
            }
            boolean sent = false;
            try {
                synchronized (c) {
                    c.out().write(bytes);
                    c.out().write('\n');
                    c.out().flush();
                }
                sent = true;
            } catch (IOException e) {
                if (key != null) inFlight.remove(key);
                lost(c, "the huddle hub connection broke: " + e.getMessage());
            } finally {
                if (key != null) writing.remove(key);
            }
            if (sent) {
                // the hub died while this was being written: lost() left it to us (it may or may not have arrived)
                if (key != null && !isCurrent(c) && inFlight.remove(key) != null) emit(JsonRpc.error(msg.get("id"), -32000, inFlightLost(unavailableReason)));
                return;
            }
        }
        answerLocally(msg, line);
    }

    private boolean isCurrent(HubConnector.Connection c) {
        synchronized (connLock) {
            return conn == c;
        }
    }

    /** While no hub is reachable: answer initialize ourselves and fail every other request clearly. */
    private void answerLocally(Map<String, Object> msg, String raw) {
        if (msg == null) {
            emit(JsonRpc.error(JsonRpc.sniffId(raw), -32700, "parse error: the line is not valid JSON"));
            return;
        }
        if (!msg.containsKey("id") || msg.get("method") == null) return; // notifications and stray responses
        if ("initialize".equals(msg.get("method"))) {
            emit(JsonRpc.degradedInitialize(msg.get("id"), initializeParams, unavailableReason));
        } else if ("ping".equals(msg.get("method"))) {
            emit(JsonRpc.result(msg.get("id"), Map.of()));
        } else {
            emit(JsonRpc.error(msg.get("id"), -32000, "huddle hub unavailable: " + unavailableReason
                    + ". Retry in a moment; if it persists run `huddle doctor` in a terminal."));
        }
    }

    /** The live connection, or a fresh one; {@code mayReplay} is false when this line is the initialize itself. */
    private HubConnector.Connection currentOrReconnect(boolean mayReplay) {
        synchronized (connLock) {
            if (conn != null) return conn;
        }
        return connect(mayReplay && initializeParams != null, RECONNECT_BUDGET_MS);
    }

    /** Connects (starting a hub if needed), replays the handshake after a reconnect, starts the reader. */
    HubConnector.Connection connect(boolean replay, long budgetMs) {
        synchronized (connLock) {
            if (conn != null) return conn;
            if (System.currentTimeMillis() - startFailedAt < START_RETRY_PAUSE_MS) return null;
            long deadline = System.currentTimeMillis() + budgetMs;
            long backoff = 50;
            while (true) {
                try {
                    HubConnector.Connection c = connector.open(baseHello.resuming(replay), true,
                            Math.max(1000, deadline - System.currentTimeMillis()));
                    if (replay && initializeParams != null) {
                        String id = "huddle-front-replay-" + (++replays);
                        internalIds.add(MiniJson.write(id));
                        c.out().write((JsonRpc.request(id, "initialize", initializeParams) + "\n").getBytes(StandardCharsets.UTF_8));
                        if (initializedSent) {
                            c.out().write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                        c.out().flush();
                    }
                    conn = c;
                    startReader(c);
                    return c;
                } catch (HubConnector.HubStartFailedException e) {
                    unavailableReason = e.getMessage(); // e.g. a corrupt database: retrying at once cannot help
                    startFailedAt = System.currentTimeMillis();
                    return null;
                } catch (IOException e) {
                    unavailableReason = e.getMessage();
                    if (System.currentTimeMillis() + backoff > deadline) return null;
                    HubConnector.sleep(backoff);
                    backoff = Math.min(backoff * 2, 1000);
                }
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
            if (internalIds.remove(id)) return; // answer to our replayed initialize
            inFlight.remove(id);
        }
        emitBytes(bytes);
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
        for (Object id : pending) emit(JsonRpc.error(id, -32000, inFlightLost(why)));
    }

    private static String inFlightLost(String why) {
        return "huddle: " + why + " while this call was in flight; it may or may not have taken effect. Check (for example"
                + " with get_my_session) and retry.";
    }

    private void emit(String json) {
        emitBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    private void emitBytes(byte[] bytes) {
        synchronized (stdout) {
            try {
                stdout.write(bytes);
                stdout.write('\n');
                stdout.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(0); // the agent closed our stdout: nobody is listening
            }
        }
    }

    private void flushQuietly() {
        synchronized (stdout) {
            try {
                stdout.flush();
            } catch (IOException ignored) {
                // exiting
            }
        }
    }

    private static String asString(Object o) {
        return o instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }
}
