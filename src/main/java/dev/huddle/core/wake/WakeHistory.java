package dev.huddle.core.wake;

import java.time.Instant;

/**
 * What {@link WakePolicy} needs to know about past wakes. The hub records every {@code will_fire} (including
 * retries) before it fires, so the debounce, the rate limit and the one-wake-per-reply rule see it; a skip is
 * never recorded. {@link WakeLedger} is an immutable in-memory implementation; the hub may answer from its store.
 */
public interface WakeHistory {

    /** When this agent was last woken, or null when never (as far as this history remembers). */
    Instant lastWake(String targetId);

    /** How many wakes this agent had strictly after {@code after}. */
    int wakesAfter(String targetId, Instant after);

    /**
     * Whether this agent was already woken for this {@code reply_to}. Keep these keys at least
     * {@link WakeSettings#replyDedupeWindow()} (the figure the hub uses to prune).
     */
    boolean wokenFor(String targetId, String replyTo);
}
