package dev.huddle.core.wake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The hub's reliability timers, as pure functions of their inputs and the time. Each answers with a {@link Step}:
 * act now, check again at a given time, or stop for good. When the answer is "now", the hub still asks
 * {@link WakePolicy#decide} (with {@link WakeRequest#retry}, {@link WakeRequest#repoke} or
 * {@link WakeRequest#pullBack}) before it wakes anyone, so the kill switch, offline, busy, debounce and rate limit
 * apply to timers too. Figures are the defaults of {@link WakeSettings#DEFAULTS}.
 */
public final class WakeRetryPolicy {
    /** How long after a message the hub still decides again its wake that the debounce or rate limit refused. */
    public static final Duration DEFERRED_MAX_AGE = Duration.ofHours(1);

    private WakeRetryPolicy() {}

    /** What a timer should do. {@code at} is when (now for {@link Action#NOW}, later for {@link Action#LATER}, null for STOP). */
    public record Step(Action action, Instant at, String reason) {
        public enum Action {
            NOW("now"), LATER("later"), STOP("stop");

            private final String wireName;

            Action(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }
        }

        public Step {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
            if ((action == Action.STOP) != (at == null)) throw new IllegalArgumentException("STOP, and only STOP, has no time");
        }

        static Step dueAt(Instant due, Instant now, String reason) {
            return due.isAfter(now) ? new Step(Action.LATER, due, reason) : new Step(Action.NOW, now, reason);
        }

        static Step stop(String reason) {
            return new Step(Action.STOP, null, reason);
        }
    }

    /**
     * Retry a wake that went out but was not confirmed (no hook reported a new turn): bounded attempts with
     * exponential backoff. Attempt n+1 is due {@code retryFirstDelay × retryFactor^(n-1)} after attempt n
     * (5 s, 15 s, 45 s); after {@code maxRetries} (3) retries, that is 4 attempts in all, it stops.
     *
     * @param attempts       attempts so far, the first one included (≥ 1)
     * @param firstAttemptAt when the first attempt went out
     * @param lastAttemptAt  when the latest attempt went out
     * @param confirmed      whether the agent has since started a turn (then there is nothing to retry)
     */
    public static Step unconfirmedWake(int attempts, Instant firstAttemptAt, Instant lastAttemptAt, boolean confirmed,
                                       WakeSettings s, Instant now) {
        if (attempts < 1) throw new IllegalArgumentException("attempts counts the first one: at least 1, not " + attempts);
        if (confirmed) return Step.stop("the wake was confirmed: the agent started a turn");
        if (attempts > s.maxRetries()) {
            return Step.stop("gave up after " + attempts + " attempts over "
                    + WakePolicy.secs(nonNegative(Duration.between(firstAttemptAt, now)))
                    + " (at most " + s.maxRetries() + " retries)");
        }
        Duration delay = s.retryFirstDelay().multipliedBy(pow(s.retryFactor(), attempts - 1));
        return Step.dueAt(lastAttemptAt.plus(delay), now, "retry " + attempts + " of " + s.maxRetries() + ", "
                + WakePolicy.secs(delay) + " after attempt " + attempts + " (unconfirmed for "
                + WakePolicy.secs(nonNegative(Duration.between(firstAttemptAt, now))) + ")");
    }

    /**
     * Re-poke the delegate of an open ask or obligation that stays silent: no sooner than {@code repokeGrace}
     * (4 min) after the request, then {@code repokeSpacing} (4 min) after each poke, at most {@code repokeCap} (3)
     * times. It stops once the request is closed (answered, completed, blocked) or delivered: once the delegate
     * has the message, another wake can't make it answer; that is the human's call (status, diagnose).
     *
     * @param sentAt      when the ask or obligation was sent
     * @param pokes       re-pokes so far: the hub counts each one {@link WakePolicy} decided, fired or skipped
     *                    (offline, busy, rate-limited, ...), so a delegate that can't be woken costs at most the cap
     * @param lastPokeAt  when the latest re-poke was decided (null when none)
     * @param delivered   whether the delegate has received the message (a hook or a read delivered it)
     * @param closed      whether it was answered, completed or blocked
     */
    public static Step silentDelegate(Instant sentAt, int pokes, Instant lastPokeAt, boolean delivered,
                                      boolean closed, WakeSettings s, Instant now) {
        if (closed) return Step.stop("the request is closed");
        if (delivered) return Step.stop("the delegate has the message; another wake would not make it answer");
        if (pokes >= s.repokeCap()) return Step.stop("re-poked " + pokes + " times (cap " + s.repokeCap() + ")");
        Instant due = sentAt.plus(s.repokeGrace());
        if (lastPokeAt != null && lastPokeAt.plus(s.repokeSpacing()).isAfter(due)) due = lastPokeAt.plus(s.repokeSpacing());
        return Step.dueAt(due, now, "re-poke " + (pokes + 1) + " of " + s.repokeCap() + ": silent for "
                + WakePolicy.secs(nonNegative(Duration.between(sentAt, now))) + " (grace " + WakePolicy.secs(s.repokeGrace())
                + ", spacing " + WakePolicy.secs(s.repokeSpacing()) + ")");
    }

    /**
     * Pull back the requester of a timed-out ask that has now been answered, once: no sooner than
     * {@code pullBackGrace} (15 s) after the answer (the reply's own wake and the requester's hooks go first), and
     * not once the requester has read the reply, was already pulled back, or {@code pullBackMaxAge} (1 h) has passed.
     * The {@link WakeRequest#pullBack} request carries the ask's request id, so the one-wake-per-(target, reply_to)
     * rule also makes it once when the reply itself already woke the requester.
     *
     * @param answeredAt   when the reply arrived
     * @param pulledBack   whether a pull-back already fired
     * @param replyRead    whether the reply has been delivered to the requester
     */
    public static Step answeredAsk(Instant answeredAt, boolean pulledBack, boolean replyRead, WakeSettings s,
                                   Instant now) {
        if (replyRead) return Step.stop("the requester has read the reply");
        if (pulledBack) return Step.stop("the requester was already pulled back once");
        Duration age = Duration.between(answeredAt, now);
        if (age.compareTo(s.pullBackMaxAge()) >= 0) {
            return Step.stop("answered " + WakePolicy.secs(age) + " ago (pull-back window " + WakePolicy.secs(s.pullBackMaxAge())
                    + "); the requester sees the reply at its next turn");
        }
        return Step.dueAt(answeredAt.plus(s.pullBackGrace()), now, "pull back the requester: its timed-out ask was answered "
                + WakePolicy.secs(nonNegative(age)) + " ago (grace " + WakePolicy.secs(s.pullBackGrace()) + ")");
    }

    /**
     * Decide again a message's wake that the debounce or the rate limit refused, while the message is unread: at
     * the first moment both would allow a wake of its target again, that is the latest wake + {@code debounce}
     * (2 s), and, while {@code rateLimit} (6) wakes are in the window, the one whose leaving frees a slot +
     * {@code rateWindow} (5 min). It stops once the message is {@code maxAge} old (the hub's 1 h): then it waits
     * for the agent's next turn.
     *
     * @param messageAt   when the message was sent
     * @param recentWakes the target's wakes (decisions to fire) of at least the last max(debounce, rate window),
     *                    in any order
     */
    public static Step refusedWake(Instant messageAt, List<Instant> recentWakes, Duration maxAge,
                                   WakeSettings s, Instant now) {
        Duration age = nonNegative(Duration.between(messageAt, now));
        if (age.compareTo(maxAge) >= 0) {
            return Step.stop("the deferred wake gave up: the message has been unread for " + WakePolicy.secs(age)
                    + " (deferred wakes stop after " + WakePolicy.secs(maxAge) + "); it waits for the agent's next turn");
        }
        List<Instant> wakes = recentWakes.stream().sorted().toList();
        Instant due = now;
        String why = "the debounce and rate limit allow a wake";
        if (!wakes.isEmpty() && wakes.getLast().plus(s.debounce()).isAfter(due)) {
            due = wakes.getLast().plus(s.debounce());
            why = "the debounce (" + WakePolicy.secs(s.debounce()) + ") ends";
        }
        // The policy counts wakes strictly after now - window: a slot frees when the (n - limit + 1)-th oldest of
        // the n counted ones is exactly one window old.
        List<Instant> counted = wakes.stream().filter(w -> w.isAfter(now.minus(s.rateWindow()))).toList();
        if (counted.size() >= s.rateLimit()) {
            Instant free = counted.get(counted.size() - s.rateLimit()).plus(s.rateWindow());
            if (free.isAfter(due)) {
                due = free;
                why = "a slot of the rate limit (" + s.rateLimit() + " per " + WakePolicy.secs(s.rateWindow()) + ") frees";
            }
        }
        return Step.dueAt(due, now, "decide the deferred wake again when " + why);
    }

    private static long pow(int base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) r = Math.multiplyExact(r, base);
        return r;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
