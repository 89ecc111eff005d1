package dev.huddle.hub.identity;

import dev.huddle.core.HuddleError;

import java.util.List;

/**
 * Who called, as the socket proves it (ARCHITECTURE.md, "Proving who calls"): the peer process and its ancestors,
 * nearest first, read by the hub itself, never taken from what the caller says. A pid the caller names (a hook's
 * {@code X-Huddle-Pid}, its {@code $PPID}) may narrow this to one of those processes, never widen it. An unproven
 * caller (its pid could not be read) acts for no agent whose session runs in another process.
 *
 * @param lineage  the socket's peer, then its ancestors, nearest first; empty when unproven
 * @param named    the pid the caller named, one of {@code lineage}; -1 when it named none
 * @param sameUser false when the kernel says the caller runs as another user (such a caller is refused outright)
 * @param unproven why the caller's pid is unknown; null when it is known
 */
public record Caller(List<Long> lineage, long named, boolean sameUser, String unproven) {
    public Caller {
        lineage = List.copyOf(lineage);
        if (lineage.isEmpty() && unproven == null) unproven = "the caller exited before it could be looked at";
    }

    public static Caller unproven(String why, boolean sameUser) {
        return new Caller(List.of(), -1, sameUser, why);
    }

    public boolean proven() {
        return !lineage.isEmpty();
    }

    /** The socket's peer; -1 when unproven. */
    public long pid() {
        return lineage.isEmpty() ? -1 : lineage.getFirst();
    }

    /** The peer's parent (a front's agent process); -1 when unknown. */
    public long parent() {
        return lineage.size() < 2 ? -1 : lineage.get(1);
    }

    /** The lineage from the pid the caller named (or from the peer when it named none), nearest first. */
    public List<Long> fromNamed() {
        int at = named > 0 ? lineage.indexOf(named) : 0;
        return at < 0 ? List.of() : lineage.subList(at, lineage.size());
    }

    /**
     * This caller narrowed to {@code claimed}, a pid it named, which must be the caller or one of its ancestors.
     * Nothing claimed ({@code claimed <= 0}), or an unproven caller (a claim alone proves nothing): unchanged.
     *
     * @throws HuddleError {@code forbidden} when {@code claimed} is not in the caller's lineage
     */
    public Caller narrowedTo(long claimed) {
        if (claimed <= 0 || !proven()) return this;
        if (!lineage.contains(claimed)) {
            throw new HuddleError("forbidden", "pid " + claimed + " is neither the calling process (pid " + pid()
                    + ") nor one of its ancestors", "A hook speaks for the agent it runs under: its X-Huddle-Pid is its $PPID.");
        }
        return new Caller(lineage, claimed, sameUser, null);
    }
}
