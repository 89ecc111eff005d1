package dev.huddle.hub;

import dev.huddle.core.Agent;
import dev.huddle.mcp.ToolResults;
import dev.huddle.wire.Version;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One-shot requests from the CLI ({@code kind: "control"}): status, ps, stop. */
final class ControlService {
    private final Hub hub;
    private final AgentRegistry registry;
    private final Clock clock;

    ControlService(Hub hub, AgentRegistry registry, Clock clock) {
        this.hub = hub;
        this.registry = registry;
        this.clock = clock;
    }

    Map<String, Object> handle(Hello hello) {
        String op = hello.op() == null ? "" : hello.op();
        return switch (op) {
            case "ping" -> ok(Map.of("pong", true));
            case "status" -> ok(hub.status());
            case "ps" -> ok(ps(hello));
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
