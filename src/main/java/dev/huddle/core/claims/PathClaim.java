package dev.huddle.core.claims;

import java.time.Duration;
import java.time.Instant;

/**
 * One agent's claim on a path or glob of its project. {@code pattern} is relative to the repository root, '/'
 * separated and normalised (see {@link ClaimPaths}); {@code since} is when the holder first claimed it (a renewal
 * keeps it), {@code expires} when it lapses unless renewed.
 *
 * @param implicit true for "being edited": recorded by a hook from an edit, on one file, exclusive, lasting the edit
 *                 window after the last edit; false for a claim made with claim_paths
 * @param ttlS     how long one renewal lasts: the claim's ttl_s, or the edit window for an implicit claim
 */
public record PathClaim(String projectRoot, String holderId, String pattern, ClaimMode mode, String reason,
                        Instant since, Instant expires, boolean implicit, long ttlS) {

    /** An explicit claim whose time to live is what lies between {@code since} and {@code expires}. */
    public PathClaim(String projectRoot, String holderId, String pattern, ClaimMode mode, String reason, Instant since, Instant expires) {
        this(projectRoot, holderId, pattern, mode, reason, since, expires, false,
                Math.max(1, Duration.between(since, expires).toSeconds()));
    }

    public boolean activeAt(Instant now) {
        return expires.isAfter(now);
    }

    /** When the holder last edited the file (an implicit claim lasts the window after its last edit). */
    public Instant lastEditAt() {
        return expires.minusSeconds(ttlS);
    }
}
