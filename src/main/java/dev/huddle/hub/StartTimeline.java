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
        long since = sinceStart();
        if (since < 0) since = info.startInstant().map(s -> Duration.between(s, Instant.now()).toMillis()).orElse(-1L);
        long cpu = info.totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        System.err.println("start-timeline " + phase + " at " + since + " ms, cpu " + cpu + " ms, this thread's cpu " + threadCpu()
                + " ms (" + Thread.currentThread().getName() + ")");
    }

    /**
     * Milliseconds since this process started, to 10 ms, from /proc/uptime and the start time in /proc/self/stat (clock
     * ticks of 10 ms since boot); -1 elsewhere. {@link ProcessHandle.Info#startInstant()} adds the boot time, which
     * Linux gives in whole seconds, so it could be off by up to a second.
     */
    private static long sinceStart() {
        try {
            String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]);
            double up = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return Math.round(up * 1000) - startTicks * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
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
