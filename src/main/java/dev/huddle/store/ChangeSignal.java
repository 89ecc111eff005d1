package dev.huddle.store;

/**
 * "Something new was committed": a generation number that readers block on instead of polling. The hub feeds its
 * one signal from the database's own commit notifications (SQLite's update hook; on a shared PostgreSQL store its own
 * commits and every hub's {@code NOTIFY}), so it sees every commit, whoever made it; the cockpit's watchers,
 * {@code huddle log --follow} and, on a shared store, the asks waiting for another machine's reply wait on it.
 */
public final class ChangeSignal {
    private long generation;
    /** Per table, the generation of its last commit told with its tables. */
    private final java.util.Map<String, Long> lastByTable = new java.util.HashMap<>();
    /** The generation of the last commit told without its tables (any table may have changed). */
    private long lastUnknown;
    private int waiting;

    /** A commit (or a change of what the watchers show) whose tables are not known. */
    public synchronized void committed() {
        committed(null);
    }

    /** A commit that wrote {@code tables}; null when they are not known. */
    public synchronized void committed(java.util.Set<String> tables) {
        generation++;
        if (tables == null) lastUnknown = generation;
        else for (String t : tables) lastByTable.put(t, generation);
        notifyAll();
    }

    /** Whether a commit after generation {@code seen} wrote one of {@code tables}, or one whose tables are not known did. */
    public synchronized boolean touched(long seen, java.util.Set<String> tables) {
        if (lastUnknown > seen) return true;
        for (String t : tables) if (lastByTable.getOrDefault(t, 0L) > seen) return true;
        return false;
    }

    public synchronized long generation() {
        return generation;
    }

    /** Waits until a commit after {@code seen}, or the timeout; returns the current generation. */
    public synchronized long awaitAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        waiting++;
        try {
            while (generation == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                wait(left);
            }
        } finally {
            waiting--;
        }
        return generation;
    }

    /** How many threads wait in {@link #awaitAfter} now (for tests: a watcher is back waiting). */
    synchronized int waiting() {
        return waiting;
    }
}
