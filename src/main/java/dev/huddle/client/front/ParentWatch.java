package dev.huddle.client.front;

import dev.huddle.client.HubConnector;

/** Ends the front when the agent process is gone (or it was re-parented): an orphaned front must not linger. */
final class ParentWatch {
    private ParentWatch() {}

    /** Checks every second; runs {@code beforeExit} (a last flush), then halts. */
    static void start(Runnable beforeExit) {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) return;
        long parentPid = parent.pid();
        Thread.ofPlatform().daemon().name("huddle-parent-watch").start(() -> {
            while (true) {
                HubConnector.sleep(1000);
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (!parent.isAlive() || now != parentPid) {
                    beforeExit.run();
                    Runtime.getRuntime().halt(0);
                }
            }
        });
    }
}
