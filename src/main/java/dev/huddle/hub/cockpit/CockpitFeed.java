package dev.huddle.hub.cockpit;

import dev.huddle.store.ChangeSignal;
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
public final class CockpitFeed {
    /** A watcher with nothing new hears a heartbeat this often. */
    static final long HEARTBEAT_MS = 10_000;

    /** Where snapshots go; a failed write ends the stream. */
    public interface Sink {
        public void snapshot(String json) throws IOException;

        void heartbeat() throws IOException;
    }

    private final Cockpit cockpit;
    private final ChangeSignal changes;
    private final AtomicInteger watchers = new AtomicInteger();
    private volatile boolean closed;

    public CockpitFeed(Cockpit cockpit, ChangeSignal changes) {
        this.cockpit = cockpit;
        this.changes = changes;
    }

    /** The newest snapshot per scope, shared by its watchers: one build per change, however many watch. */
    private record Built(long generation, Map<String, Object> snapshot) {}

    private final Map<String, Built> built = new java.util.concurrent.ConcurrentHashMap<>();

    /** One snapshot now. */
    public Map<String, Object> snapshot(String projectRoot, Duration maxObligationAge) {
        return snapshotAt(projectRoot, maxObligationAge, changes.generation());
    }

    /** A snapshot that shows at least every change up to {@code generation}: another watcher's, when it has one. */
    private Map<String, Object> snapshotAt(String projectRoot, Duration maxObligationAge, long generation) {
        String key = projectRoot + "|" + maxObligationAge.toMillis();
        Built b = built.get(key);
        if (b != null && b.generation() == generation) return b.snapshot();
        Map<String, Object> s = cockpit.snapshot(projectRoot, generation, maxObligationAge);
        built.put(key, new Built(generation, s));
        if (built.size() > 64) built.clear(); // scopes nobody watches any more
        return s;
    }

    String json(Map<String, Object> snapshot) {
        return JsonMapper.shared().writeValueAsString(snapshot);
    }

    /**
     * Streams until the sink fails, the thread is interrupted or the hub closes the feed.
     *
     * @param first the snapshot the watcher already has (sent with the reply that opened the stream), or null
     */
    public void stream(String projectRoot, Duration maxObligationAge, Map<String, Object> first, Sink sink) throws IOException {
        watchers.incrementAndGet();
        try {
            Map<String, Object> last = first;
            long seen = first == null ? changes.generation() : ((Number) first.get("generation")).longValue();
            boolean quiet = false;
            while (!closed && !Thread.currentThread().isInterrupted()) {
                // after a quiet spell, built afresh: time alone makes an obligation stale
                Map<String, Object> now = quiet ? cockpit.snapshot(projectRoot, seen, maxObligationAge)
                        : snapshotAt(projectRoot, maxObligationAge, seen);
                if (!Cockpit.sameContent(last, now)) {
                    sink.snapshot(json(now));
                    last = now;
                } else if (quiet) {
                    sink.heartbeat(); // nothing new: say we are here (a dead watcher shows up as a failed write)
                }
                long next = changes.awaitAfter(seen, HEARTBEAT_MS);
                quiet = next == seen;
                seen = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchers.decrementAndGet();
        }
    }

    public int watchers() {
        return watchers.get();
    }

    /** Ends every stream (the hub is stopping). */
    public void close() {
        closed = true;
        changes.committed(); // wakes the waiting streams, which then see closed
    }
}
