package dev.huddle.store;

import java.time.Instant;

/**
 * One wake decision or attempt, as stored.
 *
 * @param messageId  the message that asked for it (for a timer's wake: the message it is about)
 * @param targetId   the agent to wake
 * @param replyTo    the reply's {@code reply_to}, for one-wake-per-reply
 * @param clientType the target's client, for summaries
 * @param route      how: {@code async_rewake}, {@code codex_queue}, {@code tmux}, {@code wezterm}, {@code kitty},
 *                   {@code screen}; null when it was decided not to wake
 * @param status     the outcome's wire name ({@code fired}, {@code skipped_busy}, ...)
 * @param reason     a human sentence: the rule or the route's finding
 * @param attempt    1 for the first try; the retry timer's attempts count on (2, 3, ...), re-pokes count theirs
 * @param durationMs how long the route took, when one ran
 * @param kind       what prompted the wake: a {@link dev.huddle.core.wake.WakeKind} wire name ({@code send}, {@code ask},
 *                   ..., and the timers' {@code retry}, {@code repoke}, {@code pull_back}, {@code deferred}); null when unknown
 */
public record WakeRecord(long id, String messageId, String targetId, String replyTo, String clientType, String route,
                         String status, String reason, int attempt, Instant at, Long durationMs, String kind) {

    /** A record whose kind is not known (rows from before kinds were stored). */
    public WakeRecord(long id, String messageId, String targetId, String replyTo, String clientType, String route,
                      String status, String reason, int attempt, Instant at, Long durationMs) {
        this(id, messageId, targetId, replyTo, clientType, route, status, reason, attempt, at, durationMs, null);
    }

    /**
     * A decision to wake: what counts for debounce, rate limits and one-wake-per-reply. Each wake has one such row
     * (recorded before its route runs); the route's outcome follows as another row for the same message.
     */
    public static boolean firedStatus(String status) {
        return status.equals("will_fire");
    }
}
