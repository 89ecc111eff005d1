package dev.huddle.hub.cockpit;

import dev.huddle.store.ChangeSignal;
import dev.huddle.protocol.cockpit.CockpitSnapshot;

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
        void snapshot(CockpitSnapshot snapshot) throws IOException;

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
    private record Built(long generation, CockpitSnapshot snapshot) {}

    private final Map<String, Built> built = new java.util.concurrent.ConcurrentHashMap<>();

    /** One snapshot now. */
    public CockpitSnapshot snapshot(String projectRoot, Duration maxObligationAge) {
        return snapshotAt(projectRoot, maxObligationAge, changes.generation());
    }

    /** A snapshot that shows at least every change up to {@code generation}: another watcher's, when it has one. */
    private CockpitSnapshot snapshotAt(String projectRoot, Duration maxObligationAge, long generation) {
        String key = projectRoot + "|" + maxObligationAge.toMillis();
        Built b = built.get(key);
        if (b != null && b.generation() == generation) return b.snapshot();
        CockpitSnapshot s = cockpit.snapshot(projectRoot, generation, maxObligationAge);
        built.put(key, new Built(generation, s));
        if (built.size() > 64) built.clear(); // scopes nobody watches any more
        return s;
    }

    /**
     * Streams until the sink fails, the thread is interrupted or the hub closes the feed.
     *
     * @param first the snapshot the watcher already has (sent with the reply that opened the stream), or null
     */
    public void stream(String projectRoot, Duration maxObligationAge, CockpitSnapshot first, Sink sink) throws IOException {
        watchers.incrementAndGet();
        try {
            CockpitSnapshot last = first;
            long seen = first == null ? changes.generation() : first.generation();
            boolean quiet = false;
            while (!closed && !Thread.currentThread().isInterrupted()) {
                // after a quiet spell, built afresh: time alone makes an obligation stale
                CockpitSnapshot now = quiet ? cockpit.snapshot(projectRoot, seen, maxObligationAge)
                        : snapshotAt(projectRoot, maxObligationAge, seen);
                if (!now.sameContent(last)) {
                    sink.snapshot(now);
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
