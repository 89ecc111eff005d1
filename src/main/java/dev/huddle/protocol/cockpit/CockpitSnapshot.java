package dev.huddle.protocol.cockpit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One cockpit snapshot (control ops {@code cockpit} and {@code cockpit_watch}, the web page's events; shape {@code v}
 * 1): a {@link StatusReport} whose agents carry what the dashboard draws, plus each project's claims and newest
 * messages. Times are absolute instants and there are no ages, so an unchanged hub gives snapshots of the same content
 * ({@link #sameContent}); clients compute ages from their own clock.
 *
 * @param generation the hub's change generation this snapshot reflects (clients show it, tests wait for it)
 * @param projectRoot the project shown; absent for every project
 * @param storage     what fails in the hub's database while it is degraded (problem {@code storage_degraded}); absent
 *                    when it is fine
 */
public record CockpitSnapshot(int v, long generation, Instant at, String projectRoot, long maxObligationAgeMs,
                              boolean healthy, List<String> problems, List<ProjectStatus> projects, String storage) {
    /** The shape clients understand. */
    public static final int VERSION = 1;

    public CockpitSnapshot {
        problems = problems == null ? List.of() : problems;
        projects = projects == null ? List.of() : projects;
    }

    /** Nothing received yet: generation -1. */
    public static CockpitSnapshot empty() {
        return new CockpitSnapshot(VERSION, -1, null, null, 0, true, List.of(), List.of(), null);
    }

    /** Every agent of every project, in the order the dashboard lists them. */
    public List<AgentStatus> agents() {
        if (projects.size() == 1) return projects.getFirst().agents();
        List<AgentStatus> all = new ArrayList<>();
        for (ProjectStatus p : projects) all.addAll(p.agents());
        return all;
    }

    public int agentCount() {
        int n = 0;
        for (ProjectStatus p : projects) n += p.agents().size();
        return n;
    }

    /** The project {@code agent} is listed in, or null. */
    public String projectOf(AgentStatus agent) {
        for (ProjectStatus p : projects) if (p.agents().contains(agent)) return p.projectRoot();
        return null;
    }

    /** Both show the same thing (they differ at most in when they were built and the generation). */
    public boolean sameContent(CockpitSnapshot other) {
        return other != null && projects.equals(other.projects) && problems.equals(other.problems)
                && java.util.Objects.equals(storage, other.storage);
    }
}
