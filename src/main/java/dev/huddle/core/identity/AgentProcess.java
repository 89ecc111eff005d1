package dev.huddle.core.identity;

/**
 * An agent's OS process: pid plus start time, which together survive pid reuse. The start time is derived from the
 * boot time, which each JVM reads once and which moves when the clock is adjusted (NTP, a laptop waking up): two
 * readings of one process, by a hub before and after a restart, may differ by a second, so matches allow
 * {@link #START_TOLERANCE_MS}.
 */
public record AgentProcess(long pid, long startMillis) {
    /** How far two readings of one process's start time may differ. */
    public static final long START_TOLERANCE_MS = 2_000;

    public AgentProcess {
        if (pid <= 0) throw new IllegalArgumentException("pid must be positive");
    }
}
