package dev.huddle.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of wake decisions and attempts. */
public interface WakeStore {
    /** Stores a record; returns its id. */
    long record(WakeRecord r);

    /** The latest record for a message. */
    Optional<WakeRecord> latestFor(String messageId);

    /** When the target was last woken (fired, confirmed or not). */
    Optional<Instant> lastFiredAt(String targetId);

    /** How many times the target was woken since {@code since}. */
    int firedSince(String targetId, Instant since);

    /** Whether a reply with this {@code reply_to} already woke the target. */
    boolean firedForReply(String targetId, String replyTo);

    /** Every record of a message, oldest first: one wake's decision, route outcome, retries and their end. */
    List<WakeRecord> forMessage(String messageId);

    /** The messages with a wake decision ({@code will_fire}) at or after {@code since}: the retry timer's candidates. */
    List<String> messagesWokenSince(Instant since);

    /**
     * The newest wake of the target since {@code since} whose route outcome was {@code skipped_no_route}, is the
     * latest row of its message, and whose message is still undelivered: a wake that is owed.
     */
    Optional<WakeRecord> missedForNoRoute(String targetId, Instant since);

    /** When the target was woken (decisions to fire) at or after {@code since}, oldest first. */
    List<Instant> firedAtSince(String targetId, Instant since);

    /**
     * The deferred wakes that are owed, one per target at most: the target's newest refusal by the debounce or
     * the rate limit (status {@code skipped_debounced} or {@code skipped_rate_limited}) at or after {@code since}
     * of a message's own wake or of a deferred one (not a retry, re-poke or pull-back), when it is still the latest
     * row of its message, no wake of the target was decided since (that wake's pointer covers the message), and
     * the message is undelivered.
     */
    List<WakeRecord> deferrable(Instant since);

    /**
     * On a store other machines share: the wakes their hubs decided for this machine's agents at or after
     * {@code since} that no hub has taken yet ({@link #take}) and that are still the latest row of their message for
     * that agent, oldest first. Empty on a store no other machine shares.
     */
    default List<WakeRecord> owedHere(Instant since) {
        return List.of();
    }

    /** Takes the decision {@code id} to carry it out: true for the one caller that took it, false when it was taken. */
    default boolean take(long id, Instant at) {
        return false;
    }

    /** Records since {@code since}, newest first, at most {@code limit}. */
    List<WakeRecord> since(Instant since, int limit);

    /** Counts since {@code since} by route, client and status: what {@code huddle diagnose} summarises. */
    List<SummaryRow> summary(Instant since);

    /** One group of {@link #summary}. */
    record SummaryRow(String route, String clientType, String status, int count, Double avgDurationMs, Long maxDurationMs) {}
}
