package dev.huddle.core;

import java.time.Instant;

/**
 * One agent's claim on a path or glob of its project. {@code pattern} is relative to the repository root, '/'
 * separated and normalised (see {@link ClaimPaths}); {@code since} is when the holder first claimed it (a renewal
 * keeps it), {@code expires} when it lapses unless renewed.
 */
public record PathClaim(String projectRoot, String holderId, String pattern, ClaimMode mode, String reason,
                        Instant since, Instant expires) {

    public boolean activeAt(Instant now) {
        return expires.isAfter(now);
    }
}
