package dev.huddle.cli.watch;

import dev.huddle.client.HubConnector;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub's cockpit stream ({@code cockpit_watch}) for the dashboard: the reply carries the first snapshot, then the
 * hub writes a line per change and a heartbeat every 10 s. Nothing here polls: a thread blocks reading the socket.
 * When the hub goes away the stream says so and connects again (with growing pauses up to 2 s) until closed; the
 * first connection may start a hub (as {@code huddle log} does), the later ones never do, so a hub the user stopped
 * stays stopped. A connection silent for {@link #SILENCE_MS} (three missed heartbeats) counts as lost.
 */
public final class CockpitStream implements WatchUi.Source {
    static final long SILENCE_MS = 35_000;
    private static final long CONNECT_MS = 20_000;
    private static final long REPLY_MS = 15_000;

    /** What the stream reports, from its own thread. */
    public interface Listener {
        void snapshot(Snapshot s);

        void link(WatchState.Link link, String detail);

        /** The hub refused the first request (a bad project, say): the dashboard cannot show anything. */
        void refused(String message);
    }

    private final HubConnector connector;
    private final Map<String, Object> args;
    private final String cwd;
    private final boolean startHub;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile HubConnector.Connection current;
    private volatile long lastLineNanos = System.nanoTime();
    private Thread thread;

    /**
     * @param args     the {@code cockpit_watch} arguments: {@code project} or {@code all}, {@code max_obligation_age_ms}
     * @param startHub whether the first connection starts a hub when none runs
     */
    public CockpitStream(HubConnector connector, Map<String, Object> args, String cwd, boolean startHub) {
        this.connector = connector;
        this.args = new LinkedHashMap<>(args);
        this.cwd = cwd;
        this.startHub = startHub;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        thread = Thread.ofPlatform().daemon().name("huddle-watch-stream").start(this::run);
    }

    private void run() {
        boolean first = true;
        long pause = 250;
        while (!closed) {
            try {
                stream(first && startHub);
                pause = 250;
                if (!closed) listener.link(WatchState.Link.DOWN, "the hub closed the connection");
            } catch (HubConnector.HubRefusedException e) {
                if (first) {
                    listener.refused(String.valueOf(e.reply().getOrDefault("message", e.getMessage())));
                    return;
                }
                if (!closed) listener.link(WatchState.Link.DOWN, e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (!closed) listener.link(WatchState.Link.DOWN, e.getMessage());
            }
            first = false;
            sleep(pause);
            pause = Math.min(2_000, pause * 2);
        }
    }

    private void stream(boolean autoStart) throws IOException {
        Map<String, Object> hello = HubConnector.hello("control");
        hello.put("op", "cockpit_watch");
        hello.put("args", args);
        hello.put("cwd", cwd);
        try (HubConnector.Connection c = connector.open(hello, autoStart, CONNECT_MS, REPLY_MS)) {
            current = c;
            if (closed) return;
            lastLineNanos = System.nanoTime();
            if (c.reply().get("result") instanceof Map<?, ?> first) listener.snapshot(Snapshot.parse(cast(first)));
            listener.link(WatchState.Link.LIVE, null);
            // Lines can be hundreds of KB (a feed of 200 messages): a buffered reader, not HubConnector.readLine.
            BufferedReader r = new BufferedReader(new InputStreamReader(c.in(), StandardCharsets.UTF_8), 1 << 16);
            String line;
            while (!closed && (line = r.readLine()) != null) {
                lastLineNanos = System.nanoTime();
                if (line.startsWith("{\"heartbeat\"")) continue;
                Map<String, Object> m = parse(line);
                if (m.get("snapshot") instanceof Map<?, ?> s) listener.snapshot(Snapshot.parse(cast(s)));
            }
        } finally {
            current = null;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String line) {
        return JsonMapper.shared().readValue(line, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** Drops a connection that has been silent for longer than three heartbeats (the hub hangs): it reconnects. */
    @Override
    public void checkAlive() {
        HubConnector.Connection c = current;
        if (c != null && System.nanoTime() - lastLineNanos > SILENCE_MS * 1_000_000) c.close();
    }

    @Override
    public void close() {
        closed = true;
        HubConnector.Connection c = current;
        if (c != null) c.close();
        if (thread != null) thread.interrupt();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
