package dev.huddle.hub;

/**
 * "Something new was committed": lets readers that follow the message log (huddle log --follow, later the
 * dashboard) block until there is news instead of polling.
 */
final class MessageEvents {
    private long generation;

    synchronized void committed() {
        generation++;
        notifyAll();
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until a commit after {@code seen}, or the timeout; returns the current generation. */
    synchronized long awaitAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (generation == seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) break;
            wait(left);
        }
        return generation;
    }
}
