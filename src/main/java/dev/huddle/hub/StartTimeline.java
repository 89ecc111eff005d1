package dev.huddle.hub;

import java.time.Duration;
import java.time.Instant;

/**
 * A diagnostic timeline of the hub's start, on stderr (logs/hub.stderr.log), when the JVM runs with
 * {@code -Dhuddle.startTimeline=true}: each phase with the milliseconds since the JVM started and the process's CPU
 * so far. docs/BENCHMARKS.md ("Hub start") reads cold starts with it.
 */
final class StartTimeline {
    private static final boolean ON = Boolean.getBoolean("huddle.startTimeline");

    private StartTimeline() {}

    static void mark(String phase) {
        if (!ON) return;
        ProcessHandle.Info info = ProcessHandle.current().info();
        long since = info.startInstant().map(s -> Duration.between(s, Instant.now()).toMillis()).orElse(-1L);
        long cpu = info.totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        System.err.println("start-timeline " + phase + " at " + since + " ms, cpu " + cpu + " ms, this thread's cpu " + threadCpu()
                + " ms (" + Thread.currentThread().getName() + ")");
    }

    /** The calling (carrier) thread's CPU from /proc/thread-self/stat (utime + stime, in clock ticks of 10 ms); -1 elsewhere. */
    private static long threadCpu() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
