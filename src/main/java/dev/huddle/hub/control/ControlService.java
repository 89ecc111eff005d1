package dev.huddle.hub.control;

import dev.huddle.hub.Hub;
import dev.huddle.hub.HubServer;
import dev.huddle.hub.claims.ClaimsControl;
import dev.huddle.hub.cockpit.CockpitFeed;
import dev.huddle.hub.cockpit.StatusReport;
import dev.huddle.hub.cockpit.WebServer;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.mcp.SessionViews;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.reading.ReadSessions;
import dev.huddle.hub.wake.RewakeWaiters;
import dev.huddle.protocol.Hello;

import dev.huddle.core.identity.Agent;
import dev.huddle.hub.mcp.ToolResults;
import dev.huddle.protocol.Version;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One-shot requests from the CLI ({@code kind: "control"}): status, ps, stop. */
public final class ControlService implements WebServer.Operator {
    private final Hub hub;
    private final AgentRegistry registry;
    private final Messaging messaging;
    private final dev.huddle.store.WakeStore wakes;
    private final RewakeWaiters rewake;
    private final ReadSessions reads;
    private final CockpitFeed cockpit;
    private final Clock clock;
    private final ClaimsControl claims;
    private WebServer web;

    /** What a nudge from the cockpit says when the human typed nothing. */
    static final String NUDGE_TEXT = "Nudge from your user (via huddle's cockpit): please check your huddle messages and open work"
            + " (read_my_messages, my_open_work) and carry on.";

    public ControlService(Hub hub, AgentRegistry registry, Messaging messaging, dev.huddle.store.WakeStore wakes, RewakeWaiters rewake,
                   ReadSessions reads, CockpitFeed cockpit, Clock clock, ClaimsControl claims) {
        this.cockpit = cockpit;
        this.claims = claims;
        this.hub = hub;
        this.registry = registry;
        this.messaging = messaging;
        this.wakes = wakes;
        this.rewake = rewake;
        this.reads = reads;
        this.clock = clock;
    }

    /** Serves {@code huddle web} through this server (ops {@code web} and {@code web_stop}). */
    public void web(WebServer server) {
        this.web = server;
    }

    /** Never throws: any failure becomes an {@code ok:false} reply the CLI can show. */
    public Map<String, Object> handle(Hello hello) {
        try {
            return dispatch(hello);
        } catch (RuntimeException e) {
            return handleFailure(e);
        }
    }

    private Map<String, Object> dispatch(Hello hello) {
        String op = hello.op() == null ? "" : hello.op();
        return switch (op) {
            case "ping" -> ok(Map.of("pong", true));
            case "status" -> ok(hub.status());
            case "ps" -> ok(ps(hello));
            case "send" -> send(hello);
            case "log" -> ok(log(hello));
            case "diagnose" -> ok(diagnose(hello));
            case "status_report" -> ok(statusReport(hello));
            case "cockpit" -> ok(cockpit.snapshot(cockpitScope(hello), maxObligationAge(hello)));
            case "nudge" -> nudge(hello);
            case "read" -> read(hello);
            case "claims" -> ok(claims.list(projectArg(hello), hello.args().path("all").asBoolean(false)));
            case "release" -> ok(claims.release(projectArg(hello), hello.cwd(), strings(hello.args().get("targets"))));
            case "web" -> web(hello);
            case "web_stop" -> ok(Map.of("stopped", web != null && web.stop()));
            case "stop" -> ok(Map.of("stopping", true)); // HubServer stops the hub once this reply is out
            default -> Map.of("ok", false, "error", "unknown-op", "message", "unknown control operation '" + op + "'");
        };
    }

    private Map<String, Object> ps(Hello hello) {
        boolean all = hello.args().path("all").asBoolean(false);
        Instant now = clock.instant();
        List<Agent> agents;
        String project = null;
        if (all) {
            agents = registry.all(false);
        } else {
            String cwd = hello.cwd() == null ? "/" : hello.cwd();
            project = registry.projectOf(cwd).toString();
            agents = registry.inProject(project, true);
        }
        Map<String, List<Object>> byProject = new LinkedHashMap<>();
        for (Agent a : agents) {
            Map<String, Object> row = new LinkedHashMap<>(ToolResults.JSON.convertValue(SessionViews.session(a, "", now), Map.class));
            row.remove("is_me");
            row.put("fronts", registry.connectedFronts(a.agentId()));
            byProject.computeIfAbsent(a.projectRoot(), k -> new ArrayList<>()).add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (project != null) out.put("project_root", project);
        List<Object> projects = new ArrayList<>();
        byProject.forEach((root, rows) -> projects.add(Map.of("project_root", root, "agents", rows)));
        if (project != null && byProject.isEmpty()) projects.add(Map.of("project_root", project, "agents", List.of()));
        out.put("projects", projects);
        out.put("count", agents.size());
        return out;
    }

    /**
     * huddle diagnose: how agents are wired (hooks reporting, transcript known, terminal proven) and what waking
     * did, summarised by route, client and outcome, with the latest attempts and their reasons.
     */
    private Map<String, Object> diagnose(Hello hello) {
        Instant now = clock.instant();
        long hours = Math.max(1, Math.min(24 * 30, hello.args().path("hours").asLong(24)));
        Instant since = now.minus(Duration.ofHours(hours));
        List<Object> agents = new ArrayList<>();
        for (Agent a : registry.all(false)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("handle", a.handle());
            row.put("session_id", a.sessionId());
            if (a.name() != null) row.put("name", a.name());
            row.put("client_type", a.clientType().wireName());
            row.put("project_root", a.projectRoot());
            row.put("online", a.online());
            row.put("activity", a.activity().wireName());
            row.put("hooks", a.hasHooks());
            if (a.hookAt() != null) row.put("last_hook_at", a.hookAt().toString());
            row.put("transcript_known", a.transcriptPath() != null);
            row.put("terminal", a.terminal() == null ? "none" : a.terminal().kind() + (a.terminal().verified() ? " (verified)" : ""));
            // Claude Code: its rewake hook waits in the hub right now, so a wake needs no keystrokes
            if (a.clientType() == dev.huddle.core.identity.ClientType.CLAUDE_CODE) row.put("rewake_armed", rewake.isArmed(a.agentId()));
            agents.add(row);
        }
        List<Object> summary = new ArrayList<>();
        for (var r : wakes.summary(since)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("route", r.route() == null ? "none" : r.route());
            row.put("client_type", r.clientType());
            row.put("status", r.status());
            row.put("count", r.count());
            if (r.avgDurationMs() != null) row.put("avg_ms", Math.round(r.avgDurationMs()));
            if (r.maxDurationMs() != null) row.put("max_ms", r.maxDurationMs());
            summary.add(row);
        }
        List<Object> recent = new ArrayList<>();
        for (var w : wakes.since(since, 20)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", w.at().toString());
            row.put("target", registry.find(w.targetId()).map(Agent::handle).orElse(w.targetId()));
            row.put("client_type", w.clientType());
            row.put("route", w.route() == null ? "none" : w.route());
            row.put("status", w.status());
            if (w.reason() != null) row.put("reason", w.reason());
            if (w.messageId() != null) row.put("message_id", w.messageId());
            if (w.kind() != null) row.put("kind", w.kind());
            if (w.attempt() > 1) row.put("attempt", w.attempt());
            if (w.durationMs() != null) row.put("ms", w.durationMs());
            recent.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("agents", agents);
        out.put("wake_summary", summary);
        out.put("recent_wakes", recent);
        return out;
    }

    /** huddle status: agents, waits, wait cycles, stranded mail and stale obligations of a project (or every project). */
    private Map<String, Object> statusReport(Hello hello) {
        var args = hello.args();
        boolean all = args.path("all").asBoolean(false);
        String project = all ? null : projectArg(hello);
        long maxAgeMs = Math.max(0, args.path("max_obligation_age_ms").asLong(StatusReport.DEFAULT_MAX_OBLIGATION_AGE_S * 1000));
        Messaging.OpenWaits open = messaging.openWaits(project);
        List<Agent> agents = all ? registry.all(false) : registry.inProject(project, true);
        return StatusReport.build(project, agents, id -> registry.find(id).orElse(null), open, Duration.ofMillis(maxAgeMs),
                clock.instant());
    }

    /** The one streaming request: {@code cockpit_watch} keeps the connection and writes a line per snapshot. */
    public boolean streams(Hello hello) {
        return "cockpit_watch".equals(hello.op());
    }

    /** A line-writer for {@link #stream}. */
    public interface Lines {
        void write(Map<String, Object> line) throws java.io.IOException;

        void writeRaw(String jsonLine) throws java.io.IOException;
    }

    /**
     * {@code huddle watch}: the reply carries the first snapshot; after it, one line per new snapshot
     * ({@code {"snapshot":{…}}}) and a heartbeat line ({@code {"heartbeat":true}}) when nothing changed for a while.
     */
    public void stream(Hello hello, Lines out) throws java.io.IOException {
        String scope;
        java.time.Duration maxAge;
        Map<String, Object> first;
        try {
            scope = cockpitScope(hello);
            maxAge = maxObligationAge(hello);
            first = cockpit.snapshot(scope, maxAge);
        } catch (RuntimeException e) {
            out.write(handleFailure(e));
            return;
        }
        out.write(ok(first));
        cockpit.stream(scope, maxAge, first, new CockpitFeed.Sink() {
            @Override
            public void snapshot(String json) throws java.io.IOException {
                out.writeRaw("{\"snapshot\":" + json + "}");
            }

            @Override
            public void heartbeat() throws java.io.IOException {
                out.writeRaw("{\"heartbeat\":true}");
            }
        });
    }

    private Map<String, Object> handleFailure(RuntimeException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", e instanceof dev.huddle.core.HuddleError h ? h.code() : "internal");
        m.put("message", String.valueOf(e.getMessage()));
        return m;
    }

    /** The cockpit's project: null with {@code all}, else the {@code project} argument's or the caller's. */
    private String cockpitScope(Hello hello) {
        return hello.args().path("all").asBoolean(false) ? null : projectArg(hello);
    }

    private static java.time.Duration maxObligationAge(Hello hello) {
        return Duration.ofMillis(Math.max(0, hello.args().path("max_obligation_age_ms")
                .asLong(StatusReport.DEFAULT_MAX_OBLIGATION_AGE_S * 1000)));
    }

    /**
     * The cockpit's nudge: an operator message (the given text, or {@link #NUDGE_TEXT}) whose wake follows the usual
     * policy, so a busy agent is not typed into; it reads the message at its next turn or hook.
     */
    private Map<String, Object> nudge(Hello hello) {
        String body = hello.args().path("body").asString(null);
        if (body == null || body.isBlank()) body = NUDGE_TEXT;
        return sendAs(hello, hello.args().path("target").asString(null), body, false);
    }

    /** huddle send: an operator message (origin operator, no reply target) to one agent or, with all, to every online one. */
    private Map<String, Object> send(Hello hello) {
        return sendAs(hello, hello.args().path("target").asString(null), hello.args().path("body").asString(null),
                hello.args().path("all").asBoolean(false));
    }

    private Map<String, Object> sendAs(Hello hello, String target, String body, boolean all) {
        return operatorSend(projectArg(hello), target, body, all);
    }

    private Map<String, Object> operatorSend(String project, String target, String body, boolean all) {
        try {
            var sent = messaging.sendAsOperator(project, target, body, all);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("project_root", project);
            r.put("count", sent.size());
            r.put("messages", sent.stream().map(v -> ToolResults.JSON.convertValue(v, Map.class)).toList());
            return ok(r);
        } catch (dev.huddle.core.HuddleError e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", false);
            m.put("error", e.code());
            m.put("message", e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            return m;
        }
    }

    /**
     * huddle web: starts the web cockpit (or returns the running one) and answers where it is: {@code url} (with the
     * token and the project, or {@code all=1}), {@code port}, {@code token}, {@code started} (false: it already ran).
     */
    private Map<String, Object> web(Hello hello) {
        if (web == null) return Map.of("ok", false, "error", "unavailable", "message", "this hub has no web cockpit");
        var args = hello.args();
        int port = args.path("port").asInt(0);
        if (port < 0 || port > 65535) {
            return Map.of("ok", false, "error", "invalid-argument", "message", "port " + port + " is not a TCP port (0 picks a free one)");
        }
        WebServer.Info info;
        try {
            info = web.start(port);
        } catch (java.io.IOException e) {
            return Map.of("ok", false, "error", "listen-failed", "message", e.getMessage());
        }
        boolean all = args.path("all").asBoolean(false);
        String project = all ? null : projectArg(hello);
        String url = info.base() + "?token=" + info.token()
                + (all ? "&all=1" : "&project=" + java.net.URLEncoder.encode(project, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", url);
        r.put("port", info.port());
        r.put("token", info.token());
        r.put("started", info.started());
        if (project != null) r.put("project_root", project);
        else r.put("all", true);
        return ok(r);
    }

    @Override
    public String projectOf(String directory) {
        return registry.projectOf(directory).toString();
    }

    @Override
    public Map<String, Object> send(String project, String target, String body) {
        return operatorSend(project, target, body, false);
    }

    @Override
    public Map<String, Object> nudge(String project, String target) {
        return operatorSend(project, target, NUDGE_TEXT, false);
    }

    /** huddle read: what read_session shows an agent, for the human (who also reads agents that opted out). */
    private Map<String, Object> read(Hello hello) {
        var args = hello.args();
        try {
            var r = reads.read(null, projectArg(hello), new ReadSessions.Request(args.path("target").asString(null),
                    args.path("mode").asString(null), number(args, "limit"), number(args, "max_bytes"),
                    args.path("include_timestamps").asBoolean(false), args.path("include_tools").asBoolean(false),
                    number(args, "pane_lines"), number(args, "pane_max_chars")));
            Map<String, Object> result = new LinkedHashMap<>(ToolResults.JSON.convertValue(r, Map.class));
            result.put("project_root", projectArg(hello));
            return ok(result);
        } catch (dev.huddle.core.HuddleError e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", false);
            m.put("error", e.code());
            m.put("message", e.getMessage());
            if (e.hint() != null) m.put("hint", e.hint());
            if (e.details() != null) m.put("details", e.details());
            return m;
        }
    }

    private static List<String> strings(tools.jackson.databind.JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) for (var e : n) if (e.isString()) out.add(e.asString());
        return out;
    }

    private static Number number(tools.jackson.databind.JsonNode args, String key) {
        tools.jackson.databind.JsonNode n = args.get(key);
        return n != null && n.isNumber() ? n.numberValue() : null;
    }

    /** huddle log: a project's messages, newest last; with wait_ms it blocks until something new (follow). */
    private Map<String, Object> log(Hello hello) {
        var args = hello.args();
        String project = args.path("all").asBoolean(false) ? null : projectArg(hello);
        String grep = args.path("grep").asString(null);
        long after = args.path("after_seq").asLong(0);
        int limit = args.path("limit").asInt(100);
        long waitMs = Math.min(args.path("wait_ms").asLong(0), 60_000);
        long seen = messaging.events().generation();
        List<dev.huddle.core.messaging.Message> rows = messaging.history(project, grep, after, limit);
        if (rows.isEmpty() && waitMs > 0) {
            try {
                messaging.events().awaitAfter(seen, waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rows = messaging.history(project, grep, after, limit);
        }
        Map<String, Agent> names = new java.util.HashMap<>();
        List<Object> out = new ArrayList<>();
        for (var m : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", m.seq());
            row.put("id", m.id());
            row.put("at", m.createdAt().toString());
            row.put("project_root", m.projectRoot());
            row.put("from", m.senderId() == null ? m.origin().wireName() : label(m.senderId(), names));
            row.put("to", label(m.recipientId(), names));
            row.put("body", m.body());
            if (m.requestId() != null) row.put("request_id", m.requestId());
            if (m.replyTo() != null) row.put("reply_to", m.replyTo());
            if (m.actionRequired()) row.put("obligation", m.obligation() == null ? null : m.obligation().wireName());
            row.put("delivered", m.delivered() ? m.deliveredVia().wireName() : null);
            out.add(row);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("project_root", project);
        r.put("messages", out);
        r.put("last_seq", rows.isEmpty() ? after : rows.getLast().seq());
        return r;
    }

    private String label(String agentId, Map<String, Agent> cache) {
        Agent a = cache.computeIfAbsent(agentId, id -> registry.find(id).orElse(null));
        if (a == null) return agentId;
        return a.name() != null ? a.name() + " (" + a.handle() + ")" : a.handle();
    }

    private String projectArg(Hello hello) {
        String p = hello.args().path("project").asString(null);
        if (p != null && p.startsWith("/")) return registry.projectOf(p).toString();
        return registry.projectOf(hello.cwd() == null ? "/" : hello.cwd()).toString();
    }

    static Map<String, Object> ok(Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("hub_version", Version.CURRENT.version());
        m.put("result", result);
        return m;
    }

    static String uptime(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
}
