package dev.huddle.hub.cockpit;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.MessageHistory;
import dev.huddle.hub.messaging.OpenWaits;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.store.ClaimStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The human's cockpit ({@code huddle watch}, {@code huddle web}): one snapshot of a project (or of every project) with
 * everything the dashboard draws, built from the hub's state in one go. It is {@link StatusReport} (agents, waits,
 * cycles, stranded mail, stale obligations) plus per agent its purpose, open asks and obligations, latest tool call
 * and terminal, plus the project's claims and its newest messages (the feed). Times are absolute: clients compute
 * ages from their own clock, so an unchanged hub gives an identical snapshot (see {@link #sameContent}).
 */
public final class Cockpit {
    /** The newest messages a snapshot carries per project. */
    static final int FEED_LIMIT = 200;
    /** Characters of a message body the feed carries. */
    static final int FEED_BODY_CHARS = 400;

    private final AgentRegistry registry;
    private final MessageHistory history;
    private final ClaimStore claims;
    private final LastTools lastTools;
    private final RewakeWaiters rewake;
    private final Clock clock;

    /** Where an agent's latest tool call comes from (its transcript, read from the end); null when unknown. */
    public interface LastTools {
        Map<String, Object> of(Agent agent);
    }

    public Cockpit(AgentRegistry registry, MessageHistory history, ClaimStore claims, LastTools lastTools, RewakeWaiters rewake, Clock clock) {
        this.registry = registry;
        this.history = history;
        this.claims = claims;
        this.lastTools = lastTools;
        this.rewake = rewake;
        this.clock = clock;
    }

    /**
     * @param projectRoot the project to show, or null for every project
     * @param generation  the change generation this snapshot reflects (clients show it and tests wait for it)
     */
    Map<String, Object> snapshot(String projectRoot, long generation, Duration maxObligationAge) {
        Instant now = clock.instant();
        OpenWaits open = history.openWaits(projectRoot);
        List<Agent> agents = projectRoot == null ? registry.all(false) : registry.inProject(projectRoot, true);
        Map<String, Integer> asking = new HashMap<>();
        for (Ask a : open.asks()) asking.merge(a.requesterId(), 1, Integer::sum);
        Map<String, Integer> owing = new HashMap<>();
        for (Message m : open.obligations()) owing.merge(m.recipientId(), 1, Integer::sum);
        Map<String, List<PathClaim>> claimsByProject = new HashMap<>();
        Function<String, List<PathClaim>> claimsOf = root -> claimsByProject.computeIfAbsent(root, r -> claims.active(r, now));
        Map<String, Integer> claimCount = new HashMap<>();
        agents.stream().map(Agent::projectRoot).distinct()
                .forEach(root -> claimsOf.apply(root).forEach(c -> claimCount.merge(c.holderId(), 1, Integer::sum)));
        Map<String, Object> report = StatusReport.build(projectRoot, agents, id -> registry.find(id).orElse(null), open,
                maxObligationAge, now, a -> extra(a, asking, owing, claimCount));
        Map<String, Agent> byId = new HashMap<>();
        agents.forEach(a -> byId.put(a.agentId(), a));
        Function<String, Agent> find = id -> id == null ? null : byId.computeIfAbsent(id, k -> registry.find(k).orElse(null));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("v", 1);
        out.put("generation", generation);
        out.put("at", now.toString());
        if (projectRoot != null) out.put("project_root", projectRoot);
        out.put("max_obligation_age_ms", maxObligationAge.toMillis());
        out.put("healthy", report.get("healthy"));
        out.put("problems", report.get("problems"));
        List<Object> projects = new ArrayList<>();
        for (Object p : (List<?>) report.get("projects")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> project = new LinkedHashMap<>((Map<String, Object>) p);
            String root = (String) project.get("project_root");
            project.put("claims", claimRows(claimsOf.apply(root), find));
            project.put("feed", feed(root, find));
            projects.add(withoutAges(project));
        }
        out.put("projects", projects);
        return out;
    }

    private Map<String, Object> extra(Agent a, Map<String, Integer> asking, Map<String, Integer> owing, Map<String, Integer> claimCount) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (a.purpose() != null) row.put("purpose", a.purpose());
        if (a.activityAt() != null) row.put("activity_since", a.activityAt().toString());
        if (!a.online() && a.offlineAt() != null) row.put("offline_since", a.offlineAt().toString());
        row.put("open_asks", asking.getOrDefault(a.agentId(), 0));
        row.put("open_obligations", owing.getOrDefault(a.agentId(), 0));
        row.put("claims", claimCount.getOrDefault(a.agentId(), 0));
        Map<String, Object> tool = a.online() ? lastTools.of(a) : null;
        if (tool != null) row.put("last_tool", tool);
        if (a.terminal() != null && !"none".equals(a.terminal().kind())) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("kind", a.terminal().kind());
            if (a.terminal().session() != null) t.put("session", a.terminal().session());
            if (a.terminal().pane() != null) t.put("pane", a.terminal().pane());
            t.put("verified", a.terminal().verified());
            t.put("label", a.terminal().label());
            row.put("terminal", t);
        }
        if (a.clientType() == ClientType.CLAUDE_CODE) row.put("rewake_armed", rewake.isArmed(a.agentId()));
        return row;
    }

    private static List<Object> claimRows(List<PathClaim> claims, Function<String, Agent> find) {
        List<Object> rows = new ArrayList<>();
        for (PathClaim c : claims) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("holder", StatusReport.label(c.holderId(), find));
            row.put("holder_handle", dev.huddle.core.identity.Handles.handle(c.holderId()));
            row.put("pattern", c.pattern());
            row.put("mode", c.mode().wireName());
            if (c.implicit()) { // "being edited": recorded from an edit the hooks saw, not claimed
                row.put("implicit", true);
                row.put("last_edit", c.lastEditAt().toString());
            }
            if (c.reason() != null) row.put("reason", c.reason());
            row.put("since", c.since().toString());
            row.put("expires_at", c.expires().toString());
            rows.add(row);
        }
        return rows;
    }

    private List<Object> feed(String root, Function<String, Agent> find) {
        List<Object> rows = new ArrayList<>();
        for (Message m : history.history(root, null, 0, FEED_LIMIT)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", m.seq());
            row.put("id", m.id());
            row.put("at", m.createdAt().toString());
            row.put("from", m.senderId() != null ? StatusReport.label(m.senderId(), find) : m.origin() == Message.Origin.HUDDLE ? "huddle" : "you");
            row.put("to", StatusReport.label(m.recipientId(), find));
            row.put("kind", kind(m));
            if (m.actionRequired() && m.obligation() != null) row.put("obligation", m.obligation().wireName());
            if (m.delivered()) row.put("delivered", m.deliveredVia().wireName());
            String body = m.body();
            row.put("body", body.length() > FEED_BODY_CHARS ? body.substring(0, FEED_BODY_CHARS) + "…" : body);
            rows.add(row);
        }
        return rows;
    }

    /**
     * {@code ask}, {@code reply}, {@code work} (action_required), {@code operator} (from the human), {@code notice}
     * (from huddle itself, such as a claimed file changed by a shell command), or {@code message}.
     */
    static String kind(Message m) {
        if (m.origin() == Message.Origin.OPERATOR) return "operator";
        if (m.origin() == Message.Origin.HUDDLE) return "notice";
        if (m.requestId() != null) return "ask";
        if (m.replyTo() != null) return "reply";
        if (m.actionRequired()) return "work";
        return "message";
    }

    /** A copy without the {@code age_s} entries StatusReport adds: ages are the client's to compute. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutAges(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k.equals("age_s")) return;
            out.put(k, strip(v));
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object strip(Object v) {
        if (v instanceof Map<?, ?> m) return withoutAges((Map<String, Object>) m);
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) copy.add(strip(o));
            return copy;
        }
        return v;
    }

    /** Two snapshots show the same thing (they differ at most in when they were built and the generation). */
    static boolean sameContent(Map<String, Object> a, Map<String, Object> b) {
        if (a == null || b == null) return false;
        return a.get("projects").equals(b.get("projects")) && a.get("problems").equals(b.get("problems"));
    }
}
