package dev.huddle.hub.claims;

import dev.huddle.hub.identity.AgentRegistry;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.claims.ClaimIndex;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.claims.ClaimPattern;
import dev.huddle.core.claims.ClaimTtl;
import dev.huddle.core.claims.ClaimsMode;
import dev.huddle.core.HuddleError;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.ClaimStore;
import dev.huddle.store.Transactor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Path claims: claim_paths, release_paths, list_claims, and what the hooks ask of them (may this edit go ahead,
 * record it as "being edited", which of a shell command's changes touch another agent's files). The hub is the
 * only writer, so one lock makes a claim's conflict check and its write atomic. Each project's active claims of
 * online holders are kept compiled in a {@link ClaimIndex}, rebuilt after a change (and at least every second, so
 * agent renames and liveness changes made elsewhere are seen).
 */
public final class Claims {
    private static final Logger LOG = Logger.getLogger(Claims.class.getName());
    static final int MAX_PATHS = 100;
    static final int MAX_REASON_CHARS = 200;
    private static final Duration INDEX_MAX_AGE = Duration.ofSeconds(1);
    /** An explicit claim is renewed by an edit under it at most this often (each renewal is a write). */
    private static final Duration RENEW_EVERY = Duration.ofSeconds(30);
    /** An implicit claim is re-stamped by a further edit at most this often. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(2);
    /** How long an edit marks a file "being edited" by its editor (an implicit claim), unless edited again. */
    public static final Duration DEFAULT_EDIT_WINDOW = Duration.ofSeconds(Settings.CLAIM_EDIT_WINDOW_S.defaultLong());

    /** @param generation the store's change count when it was read (always 0 on a machine's own store) */
    private record Cached(ClaimIndex index, List<PathClaim> claims, Instant builtAt, long generation) {}

    private final AgentRegistry registry;
    private final ClaimStore store;
    private final ClaimPaths paths;
    private final EditTargets targets;
    private final ClaimTexts texts;
    private final Clock clock;
    private final Duration editWindow;
    private final Map<String, Cached> byProject = new HashMap<>();
    /** On a store shared by machines: decisions run in its transactions, whose lock all hubs share; else null. */
    private final Transactor sharedTx;
    /** Counts commits (every hub's on a shared store): a cached index read before the last one is stale. */
    private final LongSupplier changes;

    public Claims(AgentRegistry registry, ClaimStore store, ClaimPaths paths, Clock clock) {
        this(registry, store, paths, p -> p, clock, DEFAULT_EDIT_WINDOW);
    }

    public Claims(AgentRegistry registry, ClaimStore store, ClaimPaths paths, ClaimPaths.RealPaths real, Clock clock, Duration editWindow) {
        this(registry, store, paths, real, clock, editWindow, null, () -> 0);
    }

    /**
     * @param sharedTx the transactions of a store shared by several machines' hubs (null for a machine's own): a claim
     *                 is then decided on fresh rows under the lock all hubs share, so two machines never both take a file
     * @param changes  the store's commit count, every hub's ({@code () -> 0} for a machine's own store): another
     *                 machine's claim makes the cached index stale at once, not within a second
     */
    public Claims(AgentRegistry registry, ClaimStore store, ClaimPaths paths, ClaimPaths.RealPaths real, Clock clock, Duration editWindow,
                  Transactor sharedTx, LongSupplier changes) {
        this.sharedTx = sharedTx;
        this.changes = changes;
        this.registry = registry;
        this.store = store;
        this.paths = paths;
        this.targets = new EditTargets(real);
        this.texts = new ClaimTexts(registry, clock);
        this.clock = clock;
        this.editWindow = editWindow;
    }

    Duration editWindow() {
        return editWindow;
    }

    /** How claims are put in words (views, holders, refusals). */
    public ClaimTexts texts() {
        return texts;
    }

    /** All or nothing: when any path conflicts with another agent's claim, nothing is claimed. Claiming again renews. */
    public synchronized Views.ClaimPathsResult claim(Agent me, List<String> rawPaths, String rawMode, Long ttlS, String rawReason) {
        if (sharedTx == null) return claimNow(me, rawPaths, rawMode, ttlS, rawReason);
        return sharedTx.inTransaction(() -> {
            byProject.remove(me.projectRoot()); // decided on the rows as they are now, no other hub writing meanwhile
            return claimNow(me, rawPaths, rawMode, ttlS, rawReason);
        });
    }

    private Views.ClaimPathsResult claimNow(Agent me, List<String> rawPaths, String rawMode, Long ttlS, String rawReason) {
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
        if (!conflicts.isEmpty()) throw texts.conflictError(me, conflicts, now);
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
        for (PathClaim c : put) views.add(texts.view(stored.getOrDefault(c.pattern(), c), me.agentId(), now));
        List<Map<String, String>> changed = new ArrayList<>();
        for (ClaimPaths.Normalised n : wanted) if (!n.raw().strip().equals(n.pattern())) changed.add(Map.of("path", n.raw(), "claimed", n.pattern()));
        return new Views.ClaimPathsResult(true, mode.wireName(), views.size(), views, changed.isEmpty() ? null : changed,
                ttl.ttl().toSeconds(), ttl.clampNote());
    }

    /** {@code rawPaths} null or empty: every claim of mine in this project (implicit ones included). */
    public synchronized Views.ReleasePathsResult release(Agent me, List<String> rawPaths) {
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

    public synchronized Views.ListClaimsResult list(Agent me) {
        return list(me.projectRoot(), me.agentId());
    }

    /** The project's active claims, as {@code myId} sees them (null: the human, to whom none is "mine"). */
    public synchronized Views.ListClaimsResult list(String projectRoot, String myId) {
        Instant now = clock.instant();
        List<Views.ClaimView> views = cached(projectRoot, now).claims().stream()
                .filter(c -> c.activeAt(now)).map(c -> texts.view(c, myId, now)).toList();
        return new Views.ListClaimsResult(true, projectRoot, views.size(), views);
    }

    /** The compiled active claims of online holders in a project: what an edit is checked against. */
    synchronized ClaimIndex index(String projectRoot) {
        return cached(projectRoot, clock.instant()).index();
    }

    // ---- edits seen by hooks ----

    /**
     * The files a hook names, resolved for claims: relative paths against {@code cwd} (the session's), {@code ..}
     * lexically; a file outside the repository, the root itself, or one whose real location (symbolic links
     * resolved) is outside it is left out: it is never refused and never recorded. Not synchronized: it asks the file
     * system.
     */
    public List<EditTarget> targets(Agent me, List<String> files, String cwd) {
        return targets.targets(localRoot(me), files, cwd);
    }

    /**
     * Where an agent's project lives on this machine, or null when it has no project: claims hold paths relative to
     * it, so that on a store shared by machines whose clones live at different paths they name the same files.
     */
    public String localRoot(Agent me) {
        return me.projectRoot() == null ? null : registry.localRoot(me).toString();
    }

    public List<EditTarget> targets(String projectRoot, List<String> files, String cwd) {
        return targets.targets(projectRoot, files, cwd);
    }

    /** Why an edit of these files meets other agents' claims (see {@link ClaimTexts#describe}). */
    public String describe(Agent me, EditCheck check, ClaimsMode mode) {
        return texts.describe(check, mode);
    }

    /** Which of these files other agents hold: exclusively claimed, or being edited (implicit) within the window. */
    public synchronized EditCheck checkEdit(Agent me, List<EditTarget> targets) {
        return checkEdit(me.projectRoot(), me.agentId(), targets);
    }

    /** {@code editorId}: the agent editing, or "" for the human (to whom every claim is another's). */
    public synchronized EditCheck checkEdit(String projectRoot, String editorId, List<EditTarget> targets) {
        if (targets.isEmpty()) return new EditCheck(Map.of());
        Instant now = clock.instant();
        ClaimIndex idx = cached(projectRoot, now).index();
        Map<String, List<PathClaim>> blocked = new LinkedHashMap<>();
        for (EditTarget t : targets) {
            for (String rel : t.realRel() == null ? List.of(t.rel()) : List.of(t.rel(), t.realRel())) {
                List<PathClaim> b = idx.forEdit(rel, editorId, now).blocking();
                if (!b.isEmpty()) blocked.merge(t.rel(), b, (x, y) -> {
                    List<PathClaim> all = new ArrayList<>(x);
                    y.stream().filter(c -> !all.contains(c)).forEach(all::add);
                    return all;
                });
            }
        }
        return new EditCheck(blocked);
    }

    /**
     * An edit went ahead: each file the agent edits under an explicit claim of its own renews that claim (at most every
     * {@link #RENEW_EVERY}); any other file is recorded as being edited by it (an implicit, exclusive claim on that one
     * file for the edit window, re-stamped by each further edit). A file name with glob characters is not recorded:
     * as a claim pattern it would cover other files.
     */
    public synchronized void recordEdits(Agent me, List<EditTarget> targets, String what) {
        if (targets.isEmpty() || me.projectRoot() == null) return;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ClaimIndex idx = cached(me.projectRoot(), now).index();
        List<PathClaim> put = new ArrayList<>();
        Set<String> renew = new LinkedHashSet<>();
        for (EditTarget t : targets) {
            String rel = t.realRel() != null ? t.realRel() : t.rel();
            ClaimIndex.Edit e = idx.forEdit(rel, me.agentId(), now);
            if (e.ownExplicit()) {
                for (PathClaim c : e.own()) {
                    if (!c.implicit() && Duration.between(now, c.expires()).compareTo(Duration.ofSeconds(c.ttlS()).minus(RENEW_EVERY)) < 0) {
                        renew.add(c.pattern());
                    }
                }
                continue;
            }
            if (rel.indexOf('*') >= 0 || rel.indexOf('?') >= 0) continue;
            boolean fresh = e.own().stream().anyMatch(c -> c.implicit() && c.pattern().equals(rel)
                    && c.lastEditAt().isAfter(now.minus(TOUCH_EVERY)));
            if (!fresh) {
                put.add(new PathClaim(me.projectRoot(), me.agentId(), rel, ClaimMode.EXCLUSIVE, what, now, now.plus(editWindow),
                        true, editWindow.toSeconds()));
            }
        }
        if (!renew.isEmpty()) store.renew(me.projectRoot(), me.agentId(), renew, now);
        if (!put.isEmpty()) store.put(put);
        if (!renew.isEmpty() || !put.isEmpty()) byProject.remove(me.projectRoot());
    }

    /**
     * What a shell command's changes meet: {@code conflicts}, the changed files another agent holds (exclusively
     * claimed, or being edited within the window), with the claims in the way; {@code othersEdits}, files another agent
     * edited with an edit tool while the command ran (the change is more likely theirs: neither reported nor recorded).
     */
    record ShellVerdict(Map<String, List<PathClaim>> conflicts, Set<String> othersEdits) {}

    synchronized ShellVerdict shellConflicts(Agent me, List<String> rels, Instant startedAt) {
        Instant now = clock.instant();
        ClaimIndex idx = cached(me.projectRoot(), now).index();
        Map<String, List<PathClaim>> out = new LinkedHashMap<>();
        Set<String> others = new LinkedHashSet<>();
        for (String rel : rels) {
            List<PathClaim> b = idx.forEdit(rel, me.agentId(), now).blocking();
            if (b.isEmpty()) continue;
            if (b.stream().anyMatch(c -> c.implicit() && !c.lastEditAt().isBefore(startedAt))) {
                others.add(rel);
                continue;
            }
            out.put(rel, b);
        }
        return new ShellVerdict(out, others);
    }

    // ---- the human's view and force release ----

    /**
     * Releases, as the human, every claim of the agent {@code agentId} in the project (agent given), or every claim
     * overlapping {@code pattern} whoever holds it (path given).
     */
    synchronized List<PathClaim> forceRelease(String projectRoot, String agentId, String pattern) {
        Instant now = clock.instant();
        List<PathClaim> hit = new ArrayList<>();
        ClaimPattern wanted = pattern == null ? null : ClaimPattern.compile(pattern);
        for (PathClaim c : cached(projectRoot, now).claims()) {
            if (agentId != null ? c.holderId().equals(agentId) : ClaimPattern.compile(c.pattern()).overlaps(wanted)) hit.add(c);
        }
        Map<String, List<String>> byHolder = new LinkedHashMap<>();
        for (PathClaim c : hit) byHolder.computeIfAbsent(c.holderId(), k -> new ArrayList<>()).add(c.pattern());
        List<PathClaim> released = new ArrayList<>();
        byHolder.forEach((holder, patterns) -> {
            List<String> gone = store.release(projectRoot, holder, patterns);
            for (PathClaim c : hit) if (c.holderId().equals(holder) && gone.contains(c.pattern())) released.add(c);
        });
        byProject.remove(projectRoot);
        if (!released.isEmpty()) LOG.info("the human released " + released.size() + " claim(s) in " + projectRoot);
        if (released.isEmpty() && !hit.isEmpty()) {
            // a shared store where this machine's own database role may not change another machine's agents' rows
            throw new HuddleError("not-released", "the matching claims are held by agents of another machine, which only that machine may release",
                    "Run huddle release on that machine, or ask the holder (ask_peer).");
        }
        return released;
    }

    /** A path the human names, as a claim pattern of the project (relative to {@code cwd} when relative). */
    ClaimPaths.Normalised normalisePath(Path root, String raw, String cwd) {
        return paths.normalise(raw, root, cwd == null ? root : Path.of(cwd));
    }

    /** The agent went offline: its claims end. */
    public synchronized void holderOffline(String agentId) {
        int n = store.releaseAll(agentId);
        byProject.clear();
        if (n > 0) LOG.info("released " + n + " claim(s) of " + agentId + ": it went offline");
    }

    private Cached cached(String projectRoot, Instant now) {
        Cached c = byProject.get(projectRoot);
        long generation = changes.getAsLong(); // before the read: a commit after it makes this index stale
        if (c != null && c.generation() == generation && Duration.between(c.builtAt(), now).compareTo(INDEX_MAX_AGE) < 0) return c;
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
        c = new Cached(new ClaimIndex(live), List.copyOf(live), now, generation);
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
        Path root = registry.localRoot(me);
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
}
