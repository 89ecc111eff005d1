package dev.huddle.store;

/**
 * "Something new was committed": a generation number that readers block on instead of polling. The hub feeds its
 * one signal from the database's own commit notifications (SQLite's update hook; on a shared PostgreSQL store its own
 * commits and every hub's {@code NOTIFY}), so it sees every commit, whoever made it; the cockpit's watchers,
 * {@code huddle log --follow} and, on a shared store, the asks waiting for another machine's reply wait on it.
 */
public final class ChangeSignal {
    private long generation;

    public synchronized void committed() {
        generation++;
        notifyAll();
    }

    public synchronized long generation() {
        return generation;
    }

    /** Waits until a commit after {@code seen}, or the timeout; returns the current generation. */
    public synchronized long awaitAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (generation == seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) break;
            wait(left);
        }
        return generation;
    }
}
