package dev.huddle.hub.cockpit;

import dev.huddle.hub.messaging.Messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.WaitGraph;
import dev.huddle.store.MessageStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code huddle status}: per project, its agents, who waits for whom and how long, the wait cycles (deadlocks),
 * mail stranded on offline agents and obligations open longer than a threshold. {@code problems} names what
 * {@code --check} fails on: {@code deadlock}, {@code stranded_mail}, {@code stale_obligation}.
 */
public final class StatusReport {
    static final String DEADLOCK = "deadlock";
    static final String STRANDED_MAIL = "stranded_mail";
    static final String STALE_OBLIGATION = "stale_obligation";

    /** An obligation open longer than this (30 min) is stale, unless the caller says otherwise. */
    public static final long DEFAULT_MAX_OBLIGATION_AGE_S = 1800;

    private StatusReport() {}

    /**
     * @param agents  the agents to show (one project's, or every project's), not retired
     * @param lookup  any agent by id, retired ones included (a wait or unread mail may concern one)
     * @param projectRoot the one project asked about, or null for every project
     */
    public static Map<String, Object> build(String projectRoot, List<Agent> agents, Function<String, Agent> lookup,
                                     Messaging.OpenWaits open, Duration maxObligationAge, Instant now) {
        return build(projectRoot, agents, lookup, open, maxObligationAge, now, a -> Map.of());
    }

    /** As above, with {@code extra} entries added to each agent's row (the cockpit's). */
    public static Map<String, Object> build(String projectRoot, List<Agent> agents, Function<String, Agent> lookup,
                                     Messaging.OpenWaits open, Duration maxObligationAge, Instant now,
                                     Function<Agent, Map<String, Object>> extra) {
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
        List<Object> out = new ArrayList<>();
        projects.forEach((root, p) -> {
            WaitGraph graph = WaitGraph.of(p.edges);
            List<Object> agentRows = new ArrayList<>();
            for (Agent a : p.agents) {
                Map<String, Object> row = agentRow(a, graph, unread.get(a.agentId()), find, now);
                row.putAll(extra.apply(a));
                agentRows.add(row);
            }
            List<Object> waitRows = new ArrayList<>();
            for (WaitGraph.Wait w : graph.waits()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("from", label(w.waiter(), find));
                row.put("to", label(w.waitedOn(), find));
                row.put("from_handle", dev.huddle.core.identity.Handles.handle(w.waiter()));
                row.put("to_handle", dev.huddle.core.identity.Handles.handle(w.waitedOn()));
                row.put("since", w.since().toString());
                row.put("age_s", age(w.since(), now));
                row.put("asks", w.asks());
                row.put("obligations", w.obligations());
                row.put("on_cycle", graph.onCycles().contains(w.waiter()) && graph.onCycles().contains(w.waitedOn()));
                waitRows.add(row);
            }
            List<Object> cycles = new ArrayList<>();
            for (List<String> c : graph.cycles()) cycles.add(c.stream().map(id -> label(id, find)).toList());
            List<Object> stranded = new ArrayList<>();
            // unread mail of this project's recipients that are offline (or retired): nobody will read it soon
            TreeSet<String> recipients = new TreeSet<>();
            p.agents.forEach(a -> recipients.add(a.agentId()));
            unread.keySet().stream().filter(id -> { Agent a = find.apply(id); return a != null && root.equals(a.projectRoot()); })
                    .forEach(recipients::add);
            for (String id : recipients) {
                MessageStore.Unread u = unread.get(id);
                Agent a = find.apply(id);
                if (u == null || u.count() == 0 || a == null || a.online()) continue;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("agent", label(id, find));
                row.put("handle", a.handle());
                row.put("count", u.count());
                row.put("oldest_at", u.oldest().toString());
                row.put("age_s", age(u.oldest(), now));
                if (a.offlineAt() != null) row.put("offline_since", a.offlineAt().toString());
                stranded.add(row);
            }
            List<Object> staleRows = new ArrayList<>();
            for (Message m : p.stale) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("from", m.senderId() == null ? m.origin().wireName() : label(m.senderId(), find));
                row.put("to", label(m.recipientId(), find));
                row.put("message_id", m.id());
                row.put("since", m.createdAt().toString());
                row.put("age_s", age(m.createdAt(), now));
                staleRows.add(row);
            }
            if (graph.hasCycle() && !problems.contains(DEADLOCK)) problems.add(DEADLOCK);
            if (!stranded.isEmpty() && !problems.contains(STRANDED_MAIL)) problems.add(STRANDED_MAIL);
            if (!staleRows.isEmpty() && !problems.contains(STALE_OBLIGATION)) problems.add(STALE_OBLIGATION);
            Map<String, Object> project = new LinkedHashMap<>();
            project.put("project_root", root);
            project.put("agents", agentRows);
            project.put("waits", waitRows);
            project.put("cycles", cycles);
            if (graph.cyclesTruncated()) project.put("cycles_truncated", true);
            project.put("stranded", stranded);
            project.put("stale_obligations", staleRows);
            out.add(project);
        });
        problems.sort(java.util.Comparator.comparingInt(List.of(DEADLOCK, STRANDED_MAIL, STALE_OBLIGATION)::indexOf));
        Map<String, Object> r = new LinkedHashMap<>();
        if (projectRoot != null) r.put("project_root", projectRoot);
        r.put("at", now.toString());
        r.put("max_obligation_age_ms", maxObligationAge.toMillis());
        r.put("healthy", problems.isEmpty());
        r.put("problems", problems);
        r.put("projects", out);
        return r;
    }

    private static Map<String, Object> agentRow(Agent a, WaitGraph graph, MessageStore.Unread unread, Function<String, Agent> find,
                                                Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("handle", a.handle());
        if (a.name() != null) row.put("name", a.name());
        row.put("label", label(a.agentId(), find));
        row.put("session_id", a.sessionId());
        row.put("client_type", a.clientType().wireName());
        row.put("online", a.online());
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("state", a.activity().wireName());
        if (a.activityAt() != null) activity.put("age_s", age(a.activityAt(), now));
        row.put("activity", activity);
        row.put("unread", unread == null ? 0 : unread.count());
        List<Object> waitsFor = new ArrayList<>();
        int waitedOnBy = 0;
        for (WaitGraph.Wait w : graph.waits()) {
            if (w.waiter().equals(a.agentId())) waitsFor.add(label(w.waitedOn(), find));
            if (w.waitedOn().equals(a.agentId())) waitedOnBy++;
        }
        row.put("waits_for", waitsFor);
        row.put("waited_on_by", waitedOnBy);
        row.put("on_cycle", graph.onCycles().contains(a.agentId()));
        return row;
    }

    /** "name (handle)", or the handle alone, as huddle log shows agents. */
    static String label(String agentId, Function<String, Agent> find) {
        Agent a = find.apply(agentId);
        if (a == null) return dev.huddle.core.identity.Handles.handle(agentId);
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
