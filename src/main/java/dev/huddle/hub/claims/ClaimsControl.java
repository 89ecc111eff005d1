package dev.huddle.hub.claims;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.Messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.HuddleError;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.TargetResolver;
import dev.huddle.hub.mcp.ToolResults;
import dev.huddle.protocol.tools.Views;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The human's side of path claims, for the CLI's control ops: {@code claims} (list) and {@code release} (force release). */
public final class ClaimsControl {
    private final Claims claims;
    private final AgentRegistry registry;
    private final Messaging messaging;
    private final Clock clock;

    public ClaimsControl(Claims claims, AgentRegistry registry, Messaging messaging, Clock clock) {
        this.claims = claims;
        this.registry = registry;
        this.messaging = messaging;
        this.clock = clock;
    }

    /** huddle claims: the project's claims (or every project's with {@code all}), explicit and implicit. */
    public Map<String, Object> list(String project, boolean all) {
        List<String> roots = new ArrayList<>();
        if (all) {
            Set<String> seen = new LinkedHashSet<>();
            for (Agent a : registry.all(false)) if (a.online() && a.projectRoot() != null) seen.add(a.projectRoot());
            roots.addAll(seen);
        } else {
            roots.add(project);
        }
        List<Object> projects = new ArrayList<>();
        int count = 0;
        for (String root : roots) {
            Views.ListClaimsResult r = claims.list(root, null);
            if (all && r.count() == 0) continue;
            count += r.count();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("project_root", root);
            p.put("count", r.count());
            p.put("claims", r.claims().stream().map(v -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = new LinkedHashMap<>(ToolResults.JSON.convertValue(v, Map.class));
                m.remove("mine");
                return m;
            }).toList());
            projects.add(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!all) out.put("project_root", project);
        out.put("edit_window_s", claims.editWindow().toSeconds());
        out.put("count", count);
        out.put("projects", projects);
        return out;
    }

    /**
     * huddle release: each target is an agent of the project (all its claims go) or a path (every claim overlapping
     * it goes, whoever holds it). The holders are told. A target that matches nothing is reported, not an error.
     */
    public Map<String, Object> release(String project, String cwd, List<String> targets) {
        List<Object> released = new ArrayList<>();
        List<Object> problems = new ArrayList<>();
        Map<String, List<PathClaim>> byHolder = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (String t : targets) {
            try {
                String agentId = agentTarget(project, cwd, t);
                List<PathClaim> hit;
                if (agentId != null) {
                    hit = claims.forceRelease(project, agentId, null);
                } else {
                    ClaimPaths.Normalised n = claims.normalisePath(project, t, cwd);
                    hit = claims.forceRelease(project, null, n.pattern());
                }
                if (hit.isEmpty()) {
                    problems.add(Map.of("target", t, "error", "not-held", "message", "no active claim matches " + t));
                }
                for (PathClaim c : hit) {
                    Views.ClaimView v = claims.texts().view(c, null, now);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target", t);
                    row.put("path", c.pattern());
                    row.put("holder", v.holder());
                    if (v.holderName() != null) row.put("holder_name", v.holderName());
                    row.put("mode", v.mode());
                    if (c.implicit()) row.put("implicit", true);
                    released.add(row);
                    byHolder.computeIfAbsent(c.holderId(), k -> new ArrayList<>()).add(c);
                }
            } catch (HuddleError e) {
                Map<String, Object> pr = new LinkedHashMap<>();
                pr.put("target", t);
                pr.put("error", e.code());
                pr.put("message", e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
                problems.add(pr);
            }
        }
        byHolder.forEach((holderId, list) -> registry.find(holderId).ifPresent(holder -> {
            List<String> patterns = list.stream().map(c -> c.pattern() + (c.implicit() ? " (being edited)" : "")).distinct().toList();
            messaging.notice(project, List.of(holder), "huddle: the human released your claim" + (patterns.size() == 1 ? " " : "s ")
                    + String.join(", ", patterns) + " (huddle release). Others may edit " + (patterns.size() == 1 ? "it" : "them")
                    + " now; if you still need " + (patterns.size() == 1 ? "it" : "them") + ", check list_claims and ask before claiming again.");
        }));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project_root", project);
        out.put("count", released.size());
        out.put("released", released);
        if (!problems.isEmpty()) out.put("problems", problems);
        return out;
    }

    /** The agent a target names, unless it is (also) a path that exists: then the path wins. */
    private String agentTarget(String project, String cwd, String t) {
        if (t.contains("/")) return null;
        Path base = cwd != null && cwd.startsWith("/") ? Path.of(cwd) : Path.of(project);
        try {
            if (Files.exists(base.resolve(t), LinkOption.NOFOLLOW_LINKS) || t.contains("*") || t.contains("?")) return null;
        } catch (RuntimeException e) {
            return null;
        }
        try {
            return TargetResolver.resolve(t, "", project, registry.inProject(project, true)).agentId();
        } catch (HuddleError e) {
            return null;
        }
    }
}
