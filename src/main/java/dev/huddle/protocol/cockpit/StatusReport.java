package dev.huddle.protocol.cockpit;

import java.time.Instant;
import java.util.List;

/**
 * The reply to {@code status_report} ({@code huddle status}): per project, its agents, who waits for whom and how
 * long, the wait cycles, mail stranded on offline agents and obligations open longer than {@code maxObligationAgeMs}.
 *
 * @param projectRoot the project asked about; absent for every project
 * @param problems    what {@code --check} fails on, in this order: deadlock, stranded_mail, stale_obligation
 */
public record StatusReport(String projectRoot, Instant at, long maxObligationAgeMs, boolean healthy, List<String> problems,
                           List<ProjectStatus> projects) {
    public static final String DEADLOCK = "deadlock";
    public static final String STRANDED_MAIL = "stranded_mail";
    public static final String STALE_OBLIGATION = "stale_obligation";
    /** The problems in the order {@code --check} reports them. */
    public static final List<String> PROBLEM_ORDER = List.of(DEADLOCK, STRANDED_MAIL, STALE_OBLIGATION);
    /** An obligation open longer than this (30 min) is stale, unless the caller says otherwise. */
    public static final long DEFAULT_MAX_OBLIGATION_AGE_MS = 30 * 60 * 1000;

    public StatusReport {
        problems = problems == null ? List.of() : problems;
        projects = projects == null ? List.of() : projects;
    }
}
