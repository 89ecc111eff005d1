package dev.huddle.cli.watch;

import dev.huddle.client.CockpitWatchStream;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.WatchLine;

import java.io.IOException;

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

    private final HubClient hub;
    private final ControlRequest.CockpitWatch request;
    private final boolean startHub;
    private volatile WatchUi.Listener listener;
    private volatile boolean closed;
    private volatile CockpitWatchStream current;
    private volatile long lastLineNanos = System.nanoTime();
    private Thread thread;

    /** @param startHub whether the first connection starts a hub when none runs */
    public CockpitStream(HubConnector connector, String cwd, ControlRequest.CockpitWatch request, boolean startHub) {
        this.hub = new HubClient(connector, cwd).replyWithin(REPLY_MS).connectWithin(CONNECT_MS);
        this.request = request;
        this.startHub = startHub;
    }

    @Override
    public void start(WatchUi.Listener listener) {
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
            } catch (ControlRefusedException e) {
                if (first) {
                    listener.refused(e.error().message() != null ? e.error().message() : e.getMessage());
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
        try (CockpitWatchStream s = (autoStart ? hub.startingHub() : hub).watch(request)) {
            current = s;
            if (closed) return;
            lastLineNanos = System.nanoTime();
            listener.snapshot(s.first());
            listener.link(WatchState.Link.LIVE, null);
            WatchLine line;
            while (!closed && (line = s.next()) != null) {
                lastLineNanos = System.nanoTime();
                if (line.snapshot() != null) listener.snapshot(line.snapshot());
            }
        } finally {
            current = null;
        }
    }

    /** Drops a connection that has been silent for longer than three heartbeats (the hub hangs): it reconnects. */
    @Override
    public void checkAlive() {
        CockpitWatchStream s = current;
        if (s != null && System.nanoTime() - lastLineNanos > SILENCE_MS * 1_000_000) s.close();
    }

    @Override
    public void close() {
        closed = true;
        CockpitWatchStream s = current;
        if (s != null) s.close();
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
