package dev.huddle.store;

import java.util.logging.Logger;

/**
 * A daemon thread that runs a look when it starts and again after every commit the {@link ChangeSignal} tells of (this
 * hub's, and on a shared store every other hub's): the hub's work that other machines' rows ask for (their replies to
 * asks waiting here, the wakes and reads owed to this machine's agents) without polling. A failed look is logged and
 * tried again at the next commit, or within 5 s.
 */
public final class CommitWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommitWatcher.class.getName());

    private final ChangeSignal changes;
    /** The tables whose changes the look is for; null for any commit. */
    private final java.util.Set<String> tables;
    private final Runnable look;
    private final String what;
    private final Thread thread;
    private volatile boolean closed;

    /** @param what what the look does, for the log line of a failure ("answering other machines' reads") */
    public CommitWatcher(String name, ChangeSignal changes, Runnable look, String what) {
        this(name, changes, null, look, what);
    }

    /**
     * A watcher that looks only after commits that wrote one of {@code tables} (or whose tables are not known), and at
     * least every 60 s: another machine's commit of a message need not make this hub look for the reads it owes.
     */
    public CommitWatcher(String name, ChangeSignal changes, java.util.Set<String> tables, Runnable look, String what) {
        this.changes = changes;
        this.tables = tables == null ? null : java.util.Set.copyOf(tables);
        this.look = look;
        this.what = what;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    public CommitWatcher start() {
        thread.start();
        return this;
    }

    private void loop() {
        long seen = changes.generation();
        boolean due = true;
        while (!closed) {
            try {
                if (due) look.run();
                long now = changes.awaitAfter(seen, 60_000);
                due = now == seen || tables == null || changes.touched(seen, tables); // a quiet minute looks anyway
                seen = now;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warning(what + " failed (tried again at the next commit): " + e.getMessage());
                try {
                    seen = changes.awaitAfter(seen, 5_000);
                    due = true;
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
