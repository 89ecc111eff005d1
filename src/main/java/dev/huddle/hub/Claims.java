package dev.huddle.hub;

import dev.huddle.core.Agent;
import dev.huddle.core.ClaimIndex;
import dev.huddle.core.ClaimMode;
import dev.huddle.core.ClaimPaths;
import dev.huddle.core.ClaimPattern;
import dev.huddle.core.ClaimTtl;
import dev.huddle.core.HuddleError;
import dev.huddle.core.PathClaim;
import dev.huddle.core.Validation;
import dev.huddle.mcp.Views;
import dev.huddle.store.ClaimStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Path claims: claim_paths, release_paths, list_claims. The hub is the only writer, so one lock makes a claim's
 * conflict check and its write atomic. Each project's active claims of online holders are kept compiled in a
 * {@link ClaimIndex}, rebuilt after a change (and at least every second, so agent renames and liveness changes
 * made elsewhere are seen).
 */
final class Claims {
    private static final Logger LOG = Logger.getLogger(Claims.class.getName());
    static final int MAX_PATHS = 100;
    static final int MAX_REASON_CHARS = 200;
    private static final Duration INDEX_MAX_AGE = Duration.ofSeconds(1);

    private record Cached(ClaimIndex index, List<PathClaim> claims, Instant builtAt) {}

    private final AgentRegistry registry;
    private final ClaimStore store;
    private final ClaimPaths paths;
    private final Clock clock;
    private final Map<String, Cached> byProject = new HashMap<>();

    Claims(AgentRegistry registry, ClaimStore store, ClaimPaths paths, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.paths = paths;
        this.clock = clock;
    }

    /** All or nothing: when any path conflicts with another agent's claim, nothing is claimed. Claiming again renews. */
    synchronized Views.ClaimPathsResult claim(Agent me, List<String> rawPaths, String rawMode, Long ttlS, String rawReason) {
        ClaimMode mode = ClaimMode.parse(rawMode);
        ClaimTtl ttl = ClaimTtl.of(ttlS);
        String reason = reason(rawReason);
        List<ClaimPaths.Normalised> wanted = normalise(me, rawPaths);
        Instant now = clock.instant();
        Cached cached = cached(me.projectRoot(), now);
        Map<String, List<PathClaim>> conflicts = new LinkedHashMap<>();
        for (ClaimPaths.Normalised n : wanted) {
            List<PathClaim> c = cached.index().conflictsForPattern(ClaimPattern.compile(n.pattern()), me.agentId(), mode, now);
            if (!c.isEmpty()) conflicts.put(n.pattern(), c);
        }
        if (!conflicts.isEmpty()) throw conflictError(me, conflicts, now);
        List<PathClaim> put = new ArrayList<>();
        for (ClaimPaths.Normalised n : wanted) {
            put.add(new PathClaim(me.projectRoot(), me.agentId(), n.pattern(), mode, reason, now, now.plus(ttl.ttl())));
        }
        store.purgeExpired(now);
        store.put(put);
        byProject.remove(me.projectRoot());
        Map<String, PathClaim> stored = new HashMap<>();
        for (PathClaim c : cached(me.projectRoot(), now).claims()) if (c.holderId().equals(me.agentId())) stored.put(c.pattern(), c);
        List<Views.ClaimView> views = new ArrayList<>();
        for (PathClaim c : put) views.add(view(stored.getOrDefault(c.pattern(), c), me.agentId(), now));
        List<Map<String, String>> changed = new ArrayList<>();
        for (ClaimPaths.Normalised n : wanted) if (!n.raw().strip().equals(n.pattern())) changed.add(Map.of("path", n.raw(), "claimed", n.pattern()));
        return new Views.ClaimPathsResult(true, mode.wireName(), views.size(), views, changed.isEmpty() ? null : changed,
                ttl.ttl().toSeconds(), ttl.clampNote());
    }

    /** {@code rawPaths} null or empty: every claim of mine in this project. */
    synchronized Views.ReleasePathsResult release(Agent me, List<String> rawPaths) {
        List<String> patterns = null;
        if (rawPaths != null && !rawPaths.isEmpty()) {
            patterns = new ArrayList<>();
            for (ClaimPaths.Normalised n : normalise(me, rawPaths)) patterns.add(n.pattern());
        }
        List<String> released = store.release(me.projectRoot(), me.agentId(), patterns);
        byProject.remove(me.projectRoot());
        List<String> notHeld = patterns == null ? null : patterns.stream().filter(p -> !released.contains(p)).toList();
        return new Views.ReleasePathsResult(true, released.size(), released, notHeld == null || notHeld.isEmpty() ? null : notHeld);
    }

    synchronized Views.ListClaimsResult list(Agent me) {
        Instant now = clock.instant();
        List<Views.ClaimView> views = cached(me.projectRoot(), now).claims().stream()
                .filter(c -> c.activeAt(now)).map(c -> view(c, me.agentId(), now)).toList();
        return new Views.ListClaimsResult(true, me.projectRoot(), views.size(), views);
    }

    /** The compiled active claims of online holders in a project: what an edit is checked against. */
    synchronized ClaimIndex index(String projectRoot) {
        return cached(projectRoot, clock.instant()).index();
    }

    /**
     * Why {@code me} may not edit {@code file} now: another online agent holds it exclusively. Empty when it may
     * (unclaimed, shared only, its own claim, or outside the repository). {@code file} is absolute, or relative to
     * {@code cwd}; only normalised lexically (no file-system work: this runs on every edit hook).
     */
    synchronized Optional<String> editRefusal(Agent me, String file, String cwd) {
        if (me.projectRoot() == null || file == null) return Optional.empty();
        Path root = Path.of(me.projectRoot());
        Path abs;
        try {
            Path base = cwd != null && cwd.startsWith("/") ? Path.of(cwd) : root;
            abs = base.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!abs.startsWith(root) || abs.equals(root)) return Optional.empty();
        String rel = root.relativize(abs).toString();
        Instant now = clock.instant();
        List<PathClaim> held = cached(me.projectRoot(), now).index().conflictsForPath(rel, me.agentId(), ClaimMode.SHARED, now);
        if (held.isEmpty()) return Optional.empty();
        StringBuilder why = new StringBuilder("huddle: ").append(rel).append(" is claimed exclusively by another agent, so this edit was refused. ");
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        for (PathClaim c : held) {
            Views.ClaimView v = view(c, me.agentId(), now);
            String who = v.holderName() != null ? v.holderName() : v.holder();
            targets.add(who);
            why.append("Held by ").append(who);
            if (v.holderName() != null) why.append(" (session ").append(v.holder()).append(')');
            why.append(" through the claim ").append(c.pattern()).append(" since ").append(v.since())
                    .append(c.reason() == null ? ", no reason given" : ", reason: " + c.reason())
                    .append("; it expires ").append(v.expires()).append(" unless renewed. ");
        }
        why.append("Do not work around this with another tool. Ask the holder with ask_peer (target: ")
                .append(String.join(", ", targets)).append(") to release it or to make the change, work on other files meanwhile, "
                        + "or wait until the claim ends (list_claims shows it).");
        return Optional.of(Validation.truncate(why.toString(), 2000));
    }

    /** The agent went offline: its claims end. */
    synchronized void holderOffline(String agentId) {
        int n = store.releaseAll(agentId);
        byProject.clear();
        if (n > 0) LOG.info("released " + n + " claim(s) of " + agentId + ": it went offline");
    }

    private Cached cached(String projectRoot, Instant now) {
        Cached c = byProject.get(projectRoot);
        if (c != null && Duration.between(c.builtAt(), now).compareTo(INDEX_MAX_AGE) < 0) return c;
        List<PathClaim> live = new ArrayList<>();
        Map<String, Boolean> online = new HashMap<>();
        for (PathClaim p : store.active(projectRoot, now)) {
            // A holder that went offline while the hub was down (or between sweeps) holds nothing.
            boolean on = online.computeIfAbsent(p.holderId(), id -> registry.find(id).map(Agent::online).orElse(false));
            if (on) live.add(p);
        }
        online.forEach((id, on) -> {
            if (!on) store.releaseAll(id);
        });
        c = new Cached(new ClaimIndex(live), List.copyOf(live), now);
        byProject.put(projectRoot, c);
        return c;
    }

    private List<ClaimPaths.Normalised> normalise(Agent me, List<String> rawPaths) {
        if (rawPaths == null || rawPaths.isEmpty()) {
            throw new HuddleError("invalid-argument", "paths is empty", "Pass the files, directories or globs to claim.");
        }
        if (rawPaths.size() > MAX_PATHS) {
            throw new HuddleError("invalid-argument", rawPaths.size() + " paths in one call; the limit is " + MAX_PATHS,
                    "Claim a directory or a glob instead of many files.");
        }
        Path root = Path.of(me.projectRoot());
        Path cwd = me.cwd() == null ? root : Path.of(me.cwd());
        Map<String, ClaimPaths.Normalised> unique = new LinkedHashMap<>();
        for (String raw : rawPaths) {
            ClaimPaths.Normalised n = paths.normalise(raw, root, cwd);
            unique.putIfAbsent(n.pattern(), n);
        }
        return List.copyOf(unique.values());
    }

    private static String reason(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String r = raw.strip();
        if (r.codePointCount(0, r.length()) > MAX_REASON_CHARS || r.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new HuddleError("invalid-argument", "reason must be one line of at most " + MAX_REASON_CHARS + " characters",
                    "Say in one short line why you need these paths.");
        }
        return r;
    }

    private HuddleError conflictError(Agent me, Map<String, List<PathClaim>> conflicts, Instant now) {
        List<Map<String, Object>> details = new ArrayList<>();
        StringBuilder msg = new StringBuilder("nothing was claimed: ");
        LinkedHashSet<String> holders = new LinkedHashSet<>();
        boolean first = true;
        for (var e : conflicts.entrySet()) {
            for (PathClaim c : e.getValue()) {
                Views.ClaimView v = view(c, me.agentId(), now);
                String who = v.holderName() != null ? v.holderName() : v.holder();
                holders.add(who);
                if (!first) msg.append("; ");
                first = false;
                msg.append(e.getKey()).append(" overlaps ").append(c.pattern()).append(", held ").append(v.mode())
                        .append(" by ").append(who).append(" since ").append(v.since())
                        .append(c.reason() == null ? "" : " (" + c.reason() + ")");
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("path", e.getKey());
                d.put("held_path", c.pattern());
                d.put("mode", v.mode());
                d.put("holder", v.holder());
                if (v.holderName() != null) d.put("holder_name", v.holderName());
                d.put("since", v.since());
                d.put("expires", v.expires());
                if (c.reason() != null) d.put("reason", c.reason());
                details.add(d);
            }
        }
        return new HuddleError("paths-claimed", Validation.truncate(msg.toString(), 2000),
                "Ask the holder with ask_peer (target: " + String.join(", ", holders) + ") to release or share them, wait until "
                        + "their claim expires, or claim only the other paths. Shared claims coexist: both sides must use mode shared.",
                Map.of("conflicts", details));
    }

    private Views.ClaimView view(PathClaim c, String myId, Instant now) {
        Optional<Agent> holder = registry.find(c.holderId());
        String id = holder.map(a -> a.bound() ? a.sessionId() : a.handle()).orElse(c.holderId());
        return new Views.ClaimView(c.pattern(), c.mode().wireName(), id, holder.map(Agent::name).orElse(null),
                holder.map(Agent::handle).orElse(null), c.holderId().equals(myId), c.reason(), SessionViews.iso(c.since()),
                SessionViews.iso(c.expires()), Math.max(0, Duration.between(now, c.expires()).toSeconds()));
    }
}
