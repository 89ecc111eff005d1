package dev.huddle.cli.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cockpit snapshot as the hub pushes it (control ops {@code cockpit} and {@code cockpit_watch}, shape v1), parsed
 * into records. Times are absolute instants: the dashboard computes ages from its own clock. Parsing is lenient: a
 * missing or malformed field becomes null, zero or empty, so a newer hub that adds fields never breaks the view.
 */
public record Snapshot(long generation, Instant at, String projectRoot, long maxObligationAgeMs, boolean healthy,
                       List<String> problems, List<Project> projects) {

    public record Project(String root, List<Agent> agents, List<Wait> waits, List<List<String>> cycles, List<Stranded> stranded,
                          List<StaleObligation> staleObligations, List<Claim> claims, List<FeedItem> feed) {}

    /**
     * @param state busy, idle or unknown
     */
    public record Agent(String projectRoot, String handle, String name, String label, String sessionId, String clientType,
                        boolean online, String state, Instant activitySince, Instant offlineSince, int unread,
                        List<String> waitsFor, int waitedOnBy, boolean onCycle, String purpose, int openAsks,
                        int openObligations, int claims, LastTool lastTool, TerminalRef terminal, Boolean rewakeArmed) {
        /** The name, else the handle: what the dashboard calls the agent where room is short. */
        public String shortName() {
            return name != null ? name : handle;
        }

        /** What {@code send}/{@code nudge}/{@code read} accept as target: the session id, else the handle. */
        public String target() {
            return sessionId != null ? sessionId : handle;
        }

        /** A tmux pane the process tree proved hosts this agent (so jumping there lands on it), or null. */
        public TerminalRef tmuxPane() {
            return terminal != null && "tmux".equals(terminal.kind()) && terminal.verified() && terminal.pane() != null ? terminal : null;
        }
    }

    public record LastTool(String name, String input, Instant at, boolean error) {}

    public record TerminalRef(String kind, String session, String pane, boolean verified, String label) {}

    public record Wait(String from, String to, String fromHandle, String toHandle, Instant since, int asks, int obligations,
                       boolean onCycle) {}

    public record Stranded(String agent, String handle, int count, Instant oldestAt, Instant offlineSince) {}

    public record StaleObligation(String from, String to, String messageId, Instant since) {}

    public record Claim(String holder, String holderHandle, String pattern, String mode, String reason, Instant since,
                        Instant expiresAt) {}

    /**
     * @param kind message, ask, reply, work or operator
     */
    public record FeedItem(long seq, String id, Instant at, String from, String to, String kind, String obligation,
                           String delivered, String body) {}

    /** An empty snapshot (nothing received yet). */
    public static Snapshot empty() {
        return new Snapshot(-1, null, null, 0, true, List.of(), List.of());
    }

    /** Every agent of every project, in the order the dashboard lists them. */
    public List<Agent> agents() {
        if (projects.size() == 1) return projects.getFirst().agents();
        List<Agent> all = new ArrayList<>();
        for (Project p : projects) all.addAll(p.agents());
        return all;
    }

    public int agentCount() {
        int n = 0;
        for (Project p : projects) n += p.agents().size();
        return n;
    }

    // ---------------------------------------------------------------- parsing

    /** Parses the {@code result} of a cockpit reply, or the {@code snapshot} of a stream line. */
    public static Snapshot parse(Map<String, Object> m) {
        List<Project> projects = new ArrayList<>();
        for (Map<String, Object> p : maps(m.get("projects"))) projects.add(project(p));
        return new Snapshot(num(m.get("generation")), instant(m.get("at")), str(m.get("project_root")),
                num(m.get("max_obligation_age_ms")), !Boolean.FALSE.equals(m.get("healthy")), strings(m.get("problems")),
                List.copyOf(projects));
    }

    private static Project project(Map<String, Object> p) {
        String root = str(p.get("project_root"));
        List<Agent> agents = new ArrayList<>();
        for (Map<String, Object> a : maps(p.get("agents"))) agents.add(agent(root, a));
        List<Wait> waits = new ArrayList<>();
        for (Map<String, Object> w : maps(p.get("waits"))) {
            waits.add(new Wait(str(w.get("from")), str(w.get("to")), str(w.get("from_handle")), str(w.get("to_handle")),
                    instant(w.get("since")), (int) num(w.get("asks")), (int) num(w.get("obligations")), Boolean.TRUE.equals(w.get("on_cycle"))));
        }
        List<List<String>> cycles = new ArrayList<>();
        if (p.get("cycles") instanceof List<?> l) for (Object c : l) cycles.add(strings(c));
        List<Stranded> stranded = new ArrayList<>();
        for (Map<String, Object> s : maps(p.get("stranded"))) {
            stranded.add(new Stranded(str(s.get("agent")), str(s.get("handle")), (int) num(s.get("count")), instant(s.get("oldest_at")),
                    instant(s.get("offline_since"))));
        }
        List<StaleObligation> stale = new ArrayList<>();
        for (Map<String, Object> s : maps(p.get("stale_obligations"))) {
            stale.add(new StaleObligation(str(s.get("from")), str(s.get("to")), str(s.get("message_id")), instant(s.get("since"))));
        }
        List<Claim> claims = new ArrayList<>();
        for (Map<String, Object> c : maps(p.get("claims"))) {
            claims.add(new Claim(str(c.get("holder")), str(c.get("holder_handle")), str(c.get("pattern")), str(c.get("mode")),
                    str(c.get("reason")), instant(c.get("since")), instant(c.get("expires_at"))));
        }
        List<FeedItem> feed = new ArrayList<>();
        for (Map<String, Object> f : maps(p.get("feed"))) {
            feed.add(new FeedItem(num(f.get("seq")), str(f.get("id")), instant(f.get("at")), str(f.get("from")), str(f.get("to")),
                    str(f.get("kind")), str(f.get("obligation")), str(f.get("delivered")), str(f.get("body"))));
        }
        return new Project(root, List.copyOf(agents), List.copyOf(waits), List.copyOf(cycles), List.copyOf(stranded),
                List.copyOf(stale), List.copyOf(claims), List.copyOf(feed));
    }

    private static Agent agent(String root, Map<String, Object> a) {
        Map<String, Object> activity = a.get("activity") instanceof Map<?, ?> act ? cast(act) : Map.of();
        LastTool tool = null;
        if (a.get("last_tool") instanceof Map<?, ?> t) {
            Map<String, Object> m = cast(t);
            tool = new LastTool(str(m.get("name")), str(m.get("input")), instant(m.get("at")), Boolean.TRUE.equals(m.get("error")));
        }
        TerminalRef terminal = null;
        if (a.get("terminal") instanceof Map<?, ?> t) {
            Map<String, Object> m = cast(t);
            terminal = new TerminalRef(str(m.get("kind")), str(m.get("session")), str(m.get("pane")), Boolean.TRUE.equals(m.get("verified")),
                    str(m.get("label")));
        }
        String handle = str(a.get("handle"));
        String label = str(a.get("label"));
        return new Agent(root, handle, str(a.get("name")), label == null ? handle : label, str(a.get("session_id")),
                str(a.get("client_type")), Boolean.TRUE.equals(a.get("online")), str(activity.get("state")),
                instant(a.get("activity_since")), instant(a.get("offline_since")), (int) num(a.get("unread")), strings(a.get("waits_for")),
                (int) num(a.get("waited_on_by")), Boolean.TRUE.equals(a.get("on_cycle")), str(a.get("purpose")), (int) num(a.get("open_asks")),
                (int) num(a.get("open_obligations")), (int) num(a.get("claims")), tool, terminal,
                a.get("rewake_armed") instanceof Boolean b ? b : null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static List<Map<String, Object>> maps(Object o) {
        if (!(o instanceof List<?> l)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>(l.size());
        for (Object e : l) if (e instanceof Map<?, ?> m) out.add(cast(m));
        return out;
    }

    private static List<String> strings(Object o) {
        if (!(o instanceof List<?> l)) return List.of();
        List<String> out = new ArrayList<>(l.size());
        for (Object e : l) if (e != null) out.add(String.valueOf(e));
        return List.copyOf(out);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(Object o) {
        if (!(o instanceof String s)) return null;
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
