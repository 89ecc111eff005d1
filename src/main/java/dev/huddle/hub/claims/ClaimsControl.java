package dev.huddle.hub.claims;

import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.Notices;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.HuddleError;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.core.identity.TargetResolver;
import dev.huddle.protocol.control.ClaimList;
import dev.huddle.protocol.control.Released;
import dev.huddle.protocol.tools.Tools;
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
    private final Notices notices;
    private final Clock clock;

    public ClaimsControl(Claims claims, AgentRegistry registry, Notices notices, Clock clock) {
        this.claims = claims;
        this.registry = registry;
        this.notices = notices;
        this.clock = clock;
    }

    /** huddle claims: the project's claims (or, for a null project, every project's), explicit and implicit. */
    public ClaimList list(String project) {
        List<String> roots = new ArrayList<>();
        if (project == null) {
            Set<String> seen = new LinkedHashSet<>();
            for (Agent a : registry.all(false)) if (a.online() && a.projectRoot() != null) seen.add(a.projectRoot());
            roots.addAll(seen);
        } else {
            roots.add(project);
        }
        List<ClaimList.Project> projects = new ArrayList<>();
        int count = 0;
        for (String root : roots) {
            Views.ListClaimsResult r = claims.list(root, null);
            if (project == null && r.count() == 0) continue;
            count += r.count();
            projects.add(new ClaimList.Project(root, r.count(), r.claims().stream().map(ClaimsControl::row).toList()));
        }
        return new ClaimList(project, claims.editWindow().toSeconds(), count, projects);
    }

    private static ClaimList.Claim row(Views.ClaimView v) {
        return new ClaimList.Claim(v.path(), v.mode(), v.holder(), v.holderName(), v.holderHandle(), v.reason(), v.since(), v.expires(),
                v.expiresInS(), v.implicit(), v.lastEdit());
    }

    /**
     * huddle release: each target is an agent of the project (all its claims go) or a path (every claim overlapping
     * it goes, whoever holds it). The holders are told. A target that matches nothing is reported, not an error.
     */
    public Released release(String project, String cwd, List<String> targets) {
        List<Released.Claim> released = new ArrayList<>();
        List<Released.Problem> problems = new ArrayList<>();
        Map<String, List<PathClaim>> byHolder = new LinkedHashMap<>();
        Instant now = clock.instant();
        // claims hold paths relative to the repository: a path the human names is taken below this machine's clone
        Path root = ProjectLocator.isPathKey(project) ? Path.of(project) : registry.localRootOf(cwd == null ? "/" : cwd);
        for (String t : targets) {
            try {
                String agentId = agentTarget(project, root, cwd, t);
                List<PathClaim> hit;
                if (agentId != null) {
                    hit = claims.forceRelease(project, agentId, null);
                } else {
                    ClaimPaths.Normalised n = claims.normalisePath(root, t, cwd);
                    hit = claims.forceRelease(project, null, n.pattern());
                }
                if (hit.isEmpty()) problems.add(new Released.Problem(t, "not-held", "no active claim matches " + t));
                for (PathClaim c : hit) {
                    Views.ClaimView v = claims.texts().view(c, null, now);
                    released.add(new Released.Claim(t, c.pattern(), v.holder(), v.holderName(), v.mode(), c.implicit() ? Boolean.TRUE : null));
                    byHolder.computeIfAbsent(c.holderId(), k -> new ArrayList<>()).add(c);
                }
            } catch (HuddleError e) {
                problems.add(new Released.Problem(t, e.code(), e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")")));
            }
        }
        byHolder.forEach((holderId, list) -> registry.find(holderId).ifPresent(holder -> {
            List<String> patterns = list.stream().map(c -> c.pattern() + (c.implicit() ? " (being edited)" : "")).distinct().toList();
            notices.notice(project, List.of(holder), "huddle: the human released your claim" + (patterns.size() == 1 ? " " : "s ")
                    + String.join(", ", patterns) + " (huddle release). Others may edit " + (patterns.size() == 1 ? "it" : "them")
                    + " now; if you still need " + (patterns.size() == 1 ? "it" : "them") + ", check " + Tools.LIST_CLAIMS.name()
                    + " and ask before claiming again.");
        }));
        return new Released(project, released.size(), released, problems.isEmpty() ? null : problems);
    }

    /** The agent a target names, unless it is (also) a path that exists: then the path wins. */
    private String agentTarget(String project, Path root, String cwd, String t) {
        if (t.contains("/")) return null;
        Path base = cwd != null && cwd.startsWith("/") ? Path.of(cwd) : root;
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
