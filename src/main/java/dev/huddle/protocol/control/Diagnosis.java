package dev.huddle.protocol.control;

import dev.huddle.protocol.json.KeepNull;

import java.time.Instant;
import java.util.List;

/**
 * The reply to {@code diagnose}: how each agent is wired (hooks reporting, transcript known, terminal proven) and what
 * waking did since {@code since}, summarised by route, client and outcome, with the latest attempts and their reasons.
 */
public record Diagnosis(Instant since, List<Agent> agents, List<WakeSummary> wakeSummary, List<Wake> recentWakes) {
    public Diagnosis {
        agents = agents == null ? List.of() : agents;
        wakeSummary = wakeSummary == null ? List.of() : wakeSummary;
        recentWakes = recentWakes == null ? List.of() : recentWakes;
    }

    /**
     * @param terminal    kind, "(verified)" when the process tree proved it, or none; for an offline agent where it
     *                    last ran ({@code was tmux dev:%3}: history, not a place)
     * @param rewakeArmed Claude Code only: its rewake hook waits in the hub right now
     */
    public record Agent(String handle, @KeepNull String sessionId, String name, String clientType, String projectRoot,
                        boolean online, String activity, boolean hooks, Instant lastHookAt, boolean transcriptKnown,
                        String terminal, Boolean rewakeArmed) {}

    public record WakeSummary(String route, String clientType, String status, int count, Long avgMs, Long maxMs) {}

    /** @param attempt present from the second attempt on */
    public record Wake(Instant at, String target, String clientType, String route, String status, String reason,
                       String messageId, String kind, Integer attempt, Long ms) {}
}
