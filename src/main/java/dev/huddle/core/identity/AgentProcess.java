package dev.huddle.core.identity;

/** An agent's OS process: pid plus start time, which together survive pid reuse. */
public record AgentProcess(long pid, long startMillis) {
    public AgentProcess {
        if (pid <= 0) throw new IllegalArgumentException("pid must be positive");
    }
}
