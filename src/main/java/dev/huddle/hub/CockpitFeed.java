package dev.huddle.hub;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes cockpit snapshots to a watcher ({@code huddle watch} over the hub socket, {@code huddle web} over
 * server-sent events): the first at once, then a new one after every committed change that alters what the
 * cockpit shows, and a heartbeat when nothing changed for a while (so either side notices a dead peer). No polling:
 * the watcher's thread sleeps on the hub's {@link ChangeSignal} until a commit wakes it. A burst of commits is
 * folded into one snapshot, because commits that land while a snapshot is built are seen together by the next one.
 */
final class CockpitFeed {
    /** A watcher with nothing new hears a heartbeat this often. */
    static final long HEARTBEAT_MS = 10_000;

    /** Where snapshots go; a failed write ends the stream. */
    interface Sink {
        void snapshot(String json) throws IOException;

        void heartbeat() throws IOException;
    }

    private final Cockpit cockpit;
    private final ChangeSignal changes;
    private final AtomicInteger watchers = new AtomicInteger();
    private volatile boolean closed;

    CockpitFeed(Cockpit cockpit, ChangeSignal changes) {
        this.cockpit = cockpit;
        this.changes = changes;
    }

    /** One snapshot now. */
    Map<String, Object> snapshot(String projectRoot, Duration maxObligationAge) {
        return cockpit.snapshot(projectRoot, changes.generation(), maxObligationAge);
    }

    String json(Map<String, Object> snapshot) {
        return JsonMapper.shared().writeValueAsString(snapshot);
    }

    /**
     * Streams until the sink fails, the thread is interrupted or the hub closes the feed.
     *
     * @param first the snapshot the watcher already has (sent with the reply that opened the stream), or null
     */
    void stream(String projectRoot, Duration maxObligationAge, Map<String, Object> first, Sink sink) throws IOException {
        watchers.incrementAndGet();
        try {
            Map<String, Object> last = first;
            long seen = first == null ? changes.generation() : ((Number) first.get("generation")).longValue();
            while (!closed && !Thread.currentThread().isInterrupted()) {
                Map<String, Object> now = cockpit.snapshot(projectRoot, seen, maxObligationAge);
                if (!Cockpit.sameContent(last, now)) {
                    sink.snapshot(json(now));
                    last = now;
                }
                long next = changes.awaitAfter(seen, HEARTBEAT_MS);
                while (next == seen && !closed) { // nothing new: say we are here, and wait again
                    sink.heartbeat();
                    next = changes.awaitAfter(seen, HEARTBEAT_MS);
                }
                seen = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchers.decrementAndGet();
        }
    }

    int watchers() {
        return watchers.get();
    }

    /** Ends every stream (the hub is stopping). */
    void close() {
        closed = true;
        changes.committed(); // wakes the waiting streams, which then see closed
    }
}
