package dev.huddle.hub.control;

import dev.huddle.hub.cockpit.StatusReports;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.mcp.SessionViews;
import dev.huddle.hub.messaging.MessageHistory;
import dev.huddle.hub.messaging.OpenWaits;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Diagnosis;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control ops that list agents: {@code ps}, {@code diagnose} (wiring and wakes) and {@code status_report}. */
final class AgentOps {
    private final AgentRegistry registry;
    private final MessageHistory history;
    private final WakeStore wakes;
    private final RewakeWaiters rewake;
    private final Projects projects;
    private final Clock clock;

    AgentOps(AgentRegistry registry, MessageHistory history, WakeStore wakes, RewakeWaiters rewake, Projects projects, Clock clock) {
        this.registry = registry;
        this.history = history;
        this.wakes = wakes;
        this.rewake = rewake;
        this.projects = projects;
        this.clock = clock;
    }

    /** huddle ps: the caller's project (listed even when empty), or every project with {@code all}. */
    AgentList ps(ControlRequest.Ps request, String cwd) {
        Instant now = clock.instant();
        String project = request.all() ? null : projects.of(null, cwd);
        List<Agent> agents = project == null ? registry.all(false) : registry.inProject(project, true);
        Map<String, List<AgentList.Agent>> byProject = new LinkedHashMap<>();
        for (Agent a : agents) {
            byProject.computeIfAbsent(a.projectRoot(), k -> new ArrayList<>())
                    .add(AgentList.Agent.of(SessionViews.session(a, "", now), registry.connectedFronts(a.agentId())));
        }
        List<AgentList.Project> rows = new ArrayList<>();
        byProject.forEach((root, list) -> rows.add(new AgentList.Project(root, localRoot(root, agents, cwd), list)));
        if (project != null && byProject.isEmpty()) rows.add(new AgentList.Project(project, localRoot(project, agents, cwd), List.of()));
        return new AgentList(project, rows, agents.size());
    }

    /**
     * Where a project named across machines lives here: below the caller's directory when that is in it, else where
     * an agent of this machine (one with a process here) works; null for a path key (it is the path) or when unknown.
     */
    private String localRoot(String key, List<Agent> agents, String cwd) {
        if (key == null || ProjectLocator.isPathKey(key)) return null;
        if (cwd != null && key.equals(projects.of(null, cwd))) return registry.localRootOf(cwd).toString();
        for (Agent a : agents) if (key.equals(a.projectRoot()) && a.process() != null) return registry.localRoot(a).toString();
        return null;
    }

    /**
     * huddle diagnose: how agents are wired (hooks reporting, transcript known, terminal proven) and what waking
     * did, summarised by route, client and outcome, with the latest attempts and their reasons.
     */
    Diagnosis diagnose(ControlRequest.Diagnose request) {
        long hours = Math.max(1, Math.min(24 * 30, request.hours() == null ? 24 : request.hours()));
        Instant since = clock.instant().minus(Duration.ofHours(hours));
        List<Diagnosis.Agent> agents = new ArrayList<>();
        for (Agent a : registry.all(false)) {
            String terminal = a.terminal() == null || "none".equals(a.terminal().kind()) ? "none"
                    : a.online() ? a.terminal().kind() + (a.terminal().verified() ? " (verified)" : "") : a.terminal().label(false);
            Boolean armed = rewake.armedState(a);
            agents.add(new Diagnosis.Agent(a.handle(), a.sessionId(), a.name(), a.clientType().wireName(), a.projectRoot(), a.online(),
                    a.activity().wireName(), a.hasHooks(), a.hookAt(), a.transcriptPath() != null, terminal, armed));
        }
        List<Diagnosis.WakeSummary> summary = new ArrayList<>();
        for (WakeStore.SummaryRow r : wakes.summary(since)) {
            summary.add(new Diagnosis.WakeSummary(r.route() == null ? "none" : r.route(), r.clientType(), r.status(), r.count(),
                    r.avgDurationMs() == null ? null : Math.round(r.avgDurationMs()), r.maxDurationMs()));
        }
        List<Diagnosis.Wake> recent = new ArrayList<>();
        for (WakeRecord w : wakes.since(since, 20)) {
            recent.add(new Diagnosis.Wake(w.at(), registry.find(w.targetId()).map(Agent::handle).orElse(w.targetId()), w.clientType(),
                    w.route() == null ? "none" : w.route(), w.status(), w.reason(), w.messageId(), w.kind(),
                    w.attempt() > 1 ? w.attempt() : null, w.durationMs()));
        }
        return new Diagnosis(since, agents, summary, recent);
    }

    /** huddle status: agents, waits, wait cycles, stranded mail and stale obligations of a project (or every project). */
    StatusReport statusReport(ControlRequest.ReportStatus request, String cwd) {
        String project = request.all() ? null : projects.of(request.project(), cwd);
        OpenWaits open = history.openWaits(project);
        List<Agent> agents = request.all() ? registry.all(false) : registry.inProject(project, true);
        return StatusReports.build(project, agents, id -> registry.find(id).orElse(null), open,
                CockpitOps.maxObligationAge(request.maxObligationAgeMs()), clock.instant());
    }
}
