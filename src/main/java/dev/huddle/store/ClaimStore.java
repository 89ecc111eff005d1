package dev.huddle.store;

import dev.huddle.core.claims.PathClaim;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Persistence of path claims. */
public interface ClaimStore {
    /** The project's claims that have not expired at {@code now}, oldest first. */
    List<PathClaim> active(String projectRoot, Instant now);

    /**
     * Stores each claim; one the holder already has on that pattern is renewed (mode, reason and expiry replaced,
     * {@code since} kept). An implicit claim never replaces an active explicit one of the same holder and pattern.
     */
    void put(Collection<PathClaim> claims);

    /** Releases the holder's claims on these patterns in the project, or all of them there when null; returns the patterns released. */
    List<String> release(String projectRoot, String holderId, Collection<String> patterns);

    /**
     * Renews the holder's active explicit claims on these patterns by their own time to live from {@code now} (never
     * shortening one); returns how many.
     */
    int renew(String projectRoot, String holderId, Collection<String> patterns, Instant now);

    /** Releases every claim of the holder, in every project (it went offline); returns how many. */
    int releaseAll(String holderId);

    /** Deletes the claims that expired at or before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
