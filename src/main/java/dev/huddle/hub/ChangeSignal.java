package dev.huddle.hub;

/**
 * "Something new was committed": a generation number that readers block on instead of polling. The hub keeps one
 * for messages (huddle log --follow) and one for any committed change (the cockpit: huddle watch and huddle web).
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
