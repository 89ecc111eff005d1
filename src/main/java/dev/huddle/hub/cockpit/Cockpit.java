package dev.huddle.hub.cockpit;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.MessageHistory;
import dev.huddle.hub.messaging.OpenWaits;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.Handles;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.ClaimEntry;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.FeedItem;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.StaleObligation;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.cockpit.Stranded;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.cockpit.TerminalRef;
import dev.huddle.protocol.cockpit.Wait;
import dev.huddle.store.ClaimStore;

import dev.huddle.store.StoreHealth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The human's cockpit ({@code huddle watch}, {@code huddle web}): one {@link CockpitSnapshot} of a project (or of every
 * project) with everything the dashboard draws, built from the hub's state in one go. It is the {@link StatusReport}
 * (agents, waits, cycles, stranded mail, stale obligations) plus per agent its purpose, open asks and obligations,
 * latest tool call and terminal, plus the project's claims and its newest messages (the feed). Times are absolute:
 * clients compute ages from their own clock, so an unchanged hub gives a snapshot of the same content.
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
    private final Supplier<StoreHealth> storage;

    /** Where an agent's latest tool call comes from (its transcript, read from the end); null when unknown. */
    public interface LastTools {
        LastTool of(Agent agent);
    }

    public Cockpit(AgentRegistry registry, MessageHistory history, ClaimStore claims, LastTools lastTools, RewakeWaiters rewake, Clock clock) {
        this(registry, history, claims, lastTools, rewake, clock, () -> StoreHealth.OK);
    }

    /** @param storage the database's health: a full disk shows on the cockpit as a problem, with its reason */
    public Cockpit(AgentRegistry registry, MessageHistory history, ClaimStore claims, LastTools lastTools, RewakeWaiters rewake, Clock clock,
                   Supplier<StoreHealth> storage) {
        this.registry = registry;
        this.history = history;
        this.claims = claims;
        this.lastTools = lastTools;
        this.rewake = rewake;
        this.clock = clock;
        this.storage = storage;
    }

    /**
     * @param projectRoot the project to show, or null for every project
     * @param generation  the change generation this snapshot reflects (clients show it and tests wait for it)
     */
    CockpitSnapshot snapshot(String projectRoot, long generation, Duration maxObligationAge) {
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
        StatusReport report = StatusReports.build(projectRoot, agents, id -> registry.find(id).orElse(null), open,
                maxObligationAge, now, (a, row) -> withExtras(a, row, asking, owing, claimCount));
        Map<String, Agent> byId = new HashMap<>();
        agents.forEach(a -> byId.put(a.agentId(), a));
        Function<String, Agent> find = id -> id == null ? null : byId.computeIfAbsent(id, k -> registry.find(k).orElse(null));

        List<ProjectStatus> projects = new ArrayList<>();
        for (ProjectStatus p : report.projects()) {
            projects.add(new ProjectStatus(p.projectRoot(), p.agents(), p.waits().stream().map(Wait::withoutAge).toList(), p.cycles(),
                    p.cyclesTruncated(), p.stranded().stream().map(Stranded::withoutAge).toList(),
                    p.staleObligations().stream().map(StaleObligation::withoutAge).toList(),
                    claimRows(claimsOf.apply(p.projectRoot()), find), feed(p.projectRoot(), find)));
        }
        StoreHealth store = storage.get();
        List<String> problems = report.problems();
        if (!store.ok()) {
            problems = new ArrayList<>(problems);
            problems.addFirst("storage_" + store.state().wireName());
        }
        return new CockpitSnapshot(CockpitSnapshot.VERSION, generation, now, projectRoot, maxObligationAge.toMillis(),
                problems.isEmpty(), problems, projects, store.ok() ? null : store.reason());
    }

    private AgentStatus withExtras(Agent a, AgentStatus row, Map<String, Integer> asking, Map<String, Integer> owing,
                                   Map<String, Integer> claimCount) {
        LastTool tool = a.online() ? lastTools.of(a) : null;
        TerminalRef terminal = null;
        TerminalLocation t = a.terminal();
        if (t != null && !"none".equals(t.kind())) { // offline: where it last ran (history), as list_project_sessions shows it
            terminal = new TerminalRef(t.kind(), t.session(), t.pane(), t.verified(a.online()), t.label(a.online()), a.online() ? null : true);
        }
        return row.forCockpit(a.purpose(), a.activityAt(), a.online() ? null : a.offlineAt(), asking.getOrDefault(a.agentId(), 0),
                owing.getOrDefault(a.agentId(), 0), claimCount.getOrDefault(a.agentId(), 0), tool, terminal,
                rewake.armedState(a));
    }

    private static List<ClaimEntry> claimRows(List<PathClaim> claims, Function<String, Agent> find) {
        List<ClaimEntry> rows = new ArrayList<>();
        for (PathClaim c : claims) {
            // implicit: "being edited", recorded from an edit the hooks saw, not claimed
            rows.add(new ClaimEntry(StatusReports.label(c.holderId(), find), Handles.handle(c.holderId()), c.pattern(),
                    c.mode().wireName(), c.implicit() ? Boolean.TRUE : null, c.implicit() ? c.lastEditAt() : null, c.reason(),
                    c.since(), c.expires()));
        }
        return rows;
    }

    private List<FeedItem> feed(String root, Function<String, Agent> find) {
        List<FeedItem> rows = new ArrayList<>();
        for (Message m : history.history(root, null, 0, FEED_LIMIT)) {
            String from = m.senderId() != null ? StatusReports.label(m.senderId(), find) : m.origin() == Message.Origin.HUDDLE ? "huddle" : "you";
            String body = m.body();
            rows.add(new FeedItem(m.seq(), m.id(), m.createdAt(), from, StatusReports.label(m.recipientId(), find), kind(m),
                    m.actionRequired() && m.obligation() != null ? m.obligation().wireName() : null,
                    m.delivered() ? m.deliveredVia().wireName() : null,
                    body.length() > FEED_BODY_CHARS ? body.substring(0, FEED_BODY_CHARS) + "…" : body));
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
}
