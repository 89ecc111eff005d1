package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the OS process table through {@link ProcessHandle}. A process is identified by pid plus start time; the
 * start time the JDK derives from boot time can wobble by a second when the clock is adjusted, so matches allow
 * {@link #START_TOLERANCE_MS}.
 */
public final class ProcessInspector {
    static final long START_TOLERANCE_MS = AgentProcess.START_TOLERANCE_MS;

    public Optional<AgentProcess> describe(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()
                .map(start -> new AgentProcess(pid, start.toEpochMilli())));
    }

    /** Whether this exact process (not a later one that reused the pid) is still running. */
    public boolean isAlive(AgentProcess p) {
        Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
        if (h.isEmpty() || !h.get().isAlive()) return false;
        if (p.startMillis() <= 0) return true;
        return h.get().info().startInstant()
                .map(s -> Math.abs(s.toEpochMilli() - p.startMillis()) <= START_TOLERANCE_MS)
                .orElse(true);
    }

    /** The same process as {@code claimed}: the pid matches and the start times agree within the tolerance. */
    public static boolean sameProcess(AgentProcess a, AgentProcess b) {
        return a.pid() == b.pid() && Math.abs(a.startMillis() - b.startMillis()) <= START_TOLERANCE_MS;
    }

    /** {@code pid} and its ancestors, nearest first, at most {@code max} entries. */
    public List<Long> ancestry(long pid, int max) {
        List<Long> out = new ArrayList<>();
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        while (h.isPresent() && out.size() < max) {
            out.add(h.get().pid());
            h = h.get().parent();
        }
        return out;
    }
}
