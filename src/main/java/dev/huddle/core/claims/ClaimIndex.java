package dev.huddle.core.claims;

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

    /**
     * What an edit of {@code path} (a file) by {@code editor} meets: {@code blocking}, the other agents' exclusive
     * claims covering it (explicit, or implicit: edited within the window); {@code own}, the editor's own claims
     * covering it (explicit ones are renewed by the edit). When the editor holds an explicit claim on the file, other
     * agents' implicit claims on it do not block it: a trespasser's edit must not lock the holder out of its own file.
     */
    public record Edit(List<PathClaim> blocking, List<PathClaim> own) {
        public boolean ownExplicit() {
            return own.stream().anyMatch(c -> !c.implicit());
        }
    }

    public Edit forEdit(String path, String editor, Instant now) {
        List<PathClaim> others = new ArrayList<>(0);
        List<PathClaim> own = new ArrayList<>(0);
        String[] segments = ClaimPattern.segmentsOf(path);
        for (Entry e : entries) {
            PathClaim c = e.claim();
            if (!c.activeAt(now) || !e.pattern().matches(segments)) continue;
            if (c.holderId().equals(editor)) own.add(c);
            else if (c.mode() == ClaimMode.EXCLUSIVE) others.add(c);
        }
        boolean explicit = own.stream().anyMatch(c -> !c.implicit());
        if (explicit) others.removeIf(PathClaim::implicit);
        return new Edit(others, own);
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
