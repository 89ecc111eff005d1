package dev.huddle.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The active claims of one project, their patterns compiled once, answering "who else holds this?" for a file
 * (an edit) or for a pattern (a new claim). Claims by the asking agent never conflict with it; two claims conflict
 * unless both are shared; expired claims are ignored.
 */
public final class ClaimIndex {
    private record Entry(PathClaim claim, ClaimPattern pattern) {}

    private final List<Entry> entries;

    public ClaimIndex(List<PathClaim> claims) {
        List<Entry> list = new ArrayList<>(claims.size());
        for (PathClaim c : claims) list.add(new Entry(c, ClaimPattern.compile(c.pattern())));
        this.entries = List.copyOf(list);
    }

    public int size() {
        return entries.size();
    }

    /** The claims of other agents that forbid {@code requester} to hold {@code path} (a file) in {@code mode}. */
    public List<PathClaim> conflictsForPath(String path, String requester, ClaimMode mode, Instant now) {
        List<PathClaim> out = new ArrayList<>(0);
        String[] segments = ClaimPattern.segmentsOf(path);
        for (Entry e : entries) {
            PathClaim c = e.claim();
            if (c.holderId().equals(requester) || !mode.conflictsWith(c.mode()) || !c.activeAt(now)) continue;
            if (e.pattern().matches(segments)) out.add(c);
        }
        return out;
    }

    /** The claims of other agents that overlap {@code wanted} and conflict with holding it in {@code mode}. */
    public List<PathClaim> conflictsForPattern(ClaimPattern wanted, String requester, ClaimMode mode, Instant now) {
        List<PathClaim> out = new ArrayList<>(0);
        for (Entry e : entries) {
            PathClaim c = e.claim();
            if (c.holderId().equals(requester) || !mode.conflictsWith(c.mode()) || !c.activeAt(now)) continue;
            if (e.pattern().overlaps(wanted)) out.add(c);
        }
        return out;
    }
}
