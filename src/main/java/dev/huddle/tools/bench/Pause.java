package dev.huddle.tools.bench;

/** The soak's pauses: an interrupt ends the thread that waits (the soak is being stopped), not just the pause. */
final class Pause {
    private Pause() {}

    static void sleep(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
