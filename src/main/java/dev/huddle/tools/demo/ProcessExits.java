package dev.huddle.tools.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Waiting for processes the demo started (and their orphans) to be gone, zombies counted as gone. */
final class ProcessExits {
    private ProcessExits() {}

    /**
     * Polls until every process has exited. (onExit of a process that is not our child polls in steps of 300 ms
     * and more, and counts a zombie as alive; an orphan stays a zombie until init reaps it, which can take seconds.)
     */
    static boolean waitForExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(ProcessExits::running)) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Alive and not a zombie (Linux: state Z or X in /proc/PID/stat). */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !(state.startsWith("Z") || state.startsWith("X"));
        } catch (IOException | RuntimeException noProcfs) {
            return p.isAlive();
        }
    }
}
