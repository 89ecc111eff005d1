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

    /** Records since {@code since}, newest first, at most {@code limit}. */
    List<WakeRecord> since(Instant since, int limit);

    /** Counts since {@code since} by route, client and status: what {@code huddle diagnose} summarises. */
    List<SummaryRow> summary(Instant since);

    /** One group of {@link #summary}. */
    record SummaryRow(String route, String clientType, String status, int count, Double avgDurationMs, Long maxDurationMs) {}
}
