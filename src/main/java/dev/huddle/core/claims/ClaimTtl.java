package dev.huddle.core.claims;

import java.time.Duration;

/** A claim's time to live: default 30 min, clamped to [1 min, 24 h]; a clamp is reported, never silent. */
public record ClaimTtl(Duration ttl, String clampNote) {
    public static final Duration DEFAULT = Duration.ofMinutes(30);
    public static final Duration MIN = Duration.ofMinutes(1);
    public static final Duration MAX = Duration.ofHours(24);

    /** @param requestedSeconds the caller's ttl_s, or null for the default */
    public static ClaimTtl of(Long requestedSeconds) {
        if (requestedSeconds == null) return new ClaimTtl(DEFAULT, null);
        long s = requestedSeconds;
        if (s < MIN.toSeconds()) {
            return new ClaimTtl(MIN, "ttl_s " + s + " is below the minimum; clamped to " + MIN.toSeconds() + " s");
        }
        if (s > MAX.toSeconds()) {
            return new ClaimTtl(MAX, "ttl_s " + s + " is above the maximum; clamped to " + MAX.toSeconds() + " s (24 h); claim again to renew");
        }
        return new ClaimTtl(Duration.ofSeconds(s), null);
    }
}
