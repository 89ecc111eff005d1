package dev.huddle.protocol.cockpit;

import java.util.List;

/**
 * One project of a status report or cockpit snapshot: its agents, who waits for whom, the wait cycles (deadlocks, as
 * lists of labels), stranded mail and stale obligations; the cockpit adds the project's claims and its newest messages.
 *
 * @param cyclesTruncated true when there were more cycles than reported, else absent
 */
public record ProjectStatus(String projectRoot, List<AgentStatus> agents, List<Wait> waits, List<List<String>> cycles,
                            Boolean cyclesTruncated, List<Stranded> stranded, List<StaleObligation> staleObligations,
                            List<ClaimEntry> claims, List<FeedItem> feed) {
    public ProjectStatus {
        agents = agents == null ? List.of() : agents;
        waits = waits == null ? List.of() : waits;
        cycles = cycles == null ? List.of() : cycles;
        stranded = stranded == null ? List.of() : stranded;
        staleObligations = staleObligations == null ? List.of() : staleObligations;
    }

    /** The feed, or none (a status report carries none). */
    public List<FeedItem> feedOrNone() {
        return feed == null ? List.of() : feed;
    }
}
