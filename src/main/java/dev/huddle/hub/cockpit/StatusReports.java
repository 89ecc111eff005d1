package dev.huddle.hub.cockpit;

import dev.huddle.hub.messaging.OpenWaits;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.Handles;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.WaitGraph;
import dev.huddle.protocol.cockpit.ActivityState;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.StaleObligation;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.cockpit.Stranded;
import dev.huddle.protocol.cockpit.Wait;
import dev.huddle.store.MessageStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds {@code huddle status}'s {@link StatusReport}: per project, its agents, who waits for whom and how long, the
 * wait cycles (deadlocks), mail stranded on offline agents and obligations open longer than a threshold.
 */
public final class StatusReports {
    private StatusReports() {}

    /**
     * @param agents  the agents to show (one project's, or every project's), not retired
     * @param lookup  any agent by id, retired ones included (a wait or unread mail may concern one)
     * @param projectRoot the one project asked about, or null for every project
     */
    public static StatusReport build(String projectRoot, List<Agent> agents, Function<String, Agent> lookup,
                                     OpenWaits open, Duration maxObligationAge, Instant now) {
        return build(projectRoot, agents, lookup, open, maxObligationAge, now, (a, row) -> row);
    }

    /** As above, each agent's row passed through {@code decorate} (the cockpit adds to it). */
    static StatusReport build(String projectRoot, List<Agent> agents, Function<String, Agent> lookup, OpenWaits open,
                              Duration maxObligationAge, Instant now, BiFunction<Agent, AgentStatus, AgentStatus> decorate) {
        Map<String, Agent> byId = new TreeMap<>();
        agents.forEach(a -> byId.put(a.agentId(), a));
        Function<String, Agent> find = id -> id == null ? null : byId.computeIfAbsent(id, lookup);

        // every project concerned: the asked one, each shown agent's, each waiting or waited-on agent's
        TreeMap<String, Project> projects = new TreeMap<>();
        if (projectRoot != null) projects.put(projectRoot, new Project());
        for (Agent a : agents) projects.computeIfAbsent(a.projectRoot(), k -> new Project()).agents.add(a);

        for (Ask ask : open.asks()) {
            Agent asker = find.apply(ask.requesterId());
            String root = asker == null ? projectRoot : asker.projectRoot();
            if (root == null) continue;
            projects.computeIfAbsent(root, k -> new Project()).edges.add(new WaitGraph.Edge(ask.requesterId(), ask.targetId(),
                    WaitGraph.Kind.ASK, ask.createdAt(), ask.messageId()));
        }
        for (Message m : open.obligations()) {
            Project p = projects.computeIfAbsent(m.projectRoot(), k -> new Project());
            if (m.senderId() != null) { // the operator waits too, but is nobody an agent could deadlock with
                p.edges.add(new WaitGraph.Edge(m.senderId(), m.recipientId(), WaitGraph.Kind.OBLIGATION, m.createdAt(), m.id()));
            }
            if (Duration.between(m.createdAt(), now).compareTo(maxObligationAge) > 0) p.stale.add(m);
        }
        Map<String, MessageStore.Unread> unread = new TreeMap<>();
        for (MessageStore.Unread u : open.unread()) unread.put(u.recipientId(), u);

        List<String> problems = new ArrayList<>();
        List<ProjectStatus> out = new ArrayList<>();
        projects.forEach((root, p) -> {
            WaitGraph graph = WaitGraph.of(p.edges);
            List<AgentStatus> agentRows = new ArrayList<>();
            for (Agent a : p.agents) agentRows.add(decorate.apply(a, agentRow(a, graph, unread.get(a.agentId()), find, now)));
            List<Wait> waitRows = new ArrayList<>();
            for (WaitGraph.Wait w : graph.waits()) {
                waitRows.add(new Wait(label(w.waiter(), find), label(w.waitedOn(), find), Handles.handle(w.waiter()),
                        Handles.handle(w.waitedOn()), w.since(), age(w.since(), now), w.asks(), w.obligations(),
                        graph.onCycles().contains(w.waiter()) && graph.onCycles().contains(w.waitedOn())));
            }
            List<List<String>> cycles = new ArrayList<>();
            for (List<String> c : graph.cycles()) cycles.add(c.stream().map(id -> label(id, find)).toList());
            List<Stranded> stranded = stranded(root, p, unread, find, now);
            List<StaleObligation> staleRows = new ArrayList<>();
            for (Message m : p.stale) {
                staleRows.add(new StaleObligation(m.senderId() == null ? m.origin().wireName() : label(m.senderId(), find),
                        label(m.recipientId(), find), m.id(), m.createdAt(), age(m.createdAt(), now)));
            }
            if (graph.hasCycle() && !problems.contains(StatusReport.DEADLOCK)) problems.add(StatusReport.DEADLOCK);
            if (!stranded.isEmpty() && !problems.contains(StatusReport.STRANDED_MAIL)) problems.add(StatusReport.STRANDED_MAIL);
            if (!staleRows.isEmpty() && !problems.contains(StatusReport.STALE_OBLIGATION)) problems.add(StatusReport.STALE_OBLIGATION);
            out.add(new ProjectStatus(root, agentRows, waitRows, cycles, graph.cyclesTruncated() ? Boolean.TRUE : null, stranded,
                    staleRows, null, null));
        });
        problems.sort(java.util.Comparator.comparingInt(StatusReport.PROBLEM_ORDER::indexOf));
        return new StatusReport(projectRoot, now, maxObligationAge.toMillis(), problems.isEmpty(), problems, out);
    }

    /** Unread mail of this project's recipients that are offline (or retired): nobody will read it soon. */
    private static List<Stranded> stranded(String root, Project p, Map<String, MessageStore.Unread> unread, Function<String, Agent> find,
                                           Instant now) {
        TreeSet<String> recipients = new TreeSet<>();
        p.agents.forEach(a -> recipients.add(a.agentId()));
        unread.keySet().stream().filter(id -> { Agent a = find.apply(id); return a != null && root.equals(a.projectRoot()); })
                .forEach(recipients::add);
        List<Stranded> stranded = new ArrayList<>();
        for (String id : recipients) {
            MessageStore.Unread u = unread.get(id);
            Agent a = find.apply(id);
            if (u == null || u.count() == 0 || a == null || a.online()) continue;
            stranded.add(new Stranded(label(id, find), a.handle(), u.count(), u.oldest(), age(u.oldest(), now), a.offlineAt()));
        }
        return stranded;
    }

    private static AgentStatus agentRow(Agent a, WaitGraph graph, MessageStore.Unread unread, Function<String, Agent> find,
                                        Instant now) {
        List<String> waitsFor = new ArrayList<>();
        int waitedOnBy = 0;
        for (WaitGraph.Wait w : graph.waits()) {
            if (w.waiter().equals(a.agentId())) waitsFor.add(label(w.waitedOn(), find));
            if (w.waitedOn().equals(a.agentId())) waitedOnBy++;
        }
        ActivityState activity = new ActivityState(a.activity().wireName(), a.activityAt() == null ? null : age(a.activityAt(), now));
        return new AgentStatus(a.handle(), a.name(), label(a.agentId(), find), a.sessionId(), a.clientType().wireName(), a.online(),
                activity, unread == null ? 0 : unread.count(), waitsFor, waitedOnBy, graph.onCycles().contains(a.agentId()),
                a.purpose(), null, null, null, null, null, null, null, null);
    }

    /** "name (handle)", or the handle alone, as huddle log shows agents. */
    static String label(String agentId, Function<String, Agent> find) {
        Agent a = find.apply(agentId);
        if (a == null) return Handles.handle(agentId);
        return a.name() != null ? a.name() + " (" + a.handle() + ")" : a.handle();
    }

    private static long age(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toSeconds());
    }

    private static final class Project {
        final List<Agent> agents = new ArrayList<>();
        final List<WaitGraph.Edge> edges = new ArrayList<>();
        final List<Message> stale = new ArrayList<>();
    }
}
