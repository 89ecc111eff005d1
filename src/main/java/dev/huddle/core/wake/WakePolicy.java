package dev.huddle.core.wake;

import dev.huddle.core.identity.Activity;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a message (or a hub timer) wakes an agent: a pure function of the request, the settings, the wake
 * history and the time. The hub calls {@link #decide}, records a {@code will_fire} in its history and hands it to a
 * route; the route's outcome ({@code fired}, {@code fired_unconfirmed}, …) replaces {@code will_fire} in results.
 *
 * <p>The gates, in this order; the first one that says no decides the status (figures are the defaults of
 * {@link WakeSettings#DEFAULTS}):
 * <ol>
 * <li><b>Kill switch</b> ({@code HUDDLE_WAKE=off} or the config's): {@code skipped_kill_switch}. Absolute: no
 *     per-send {@code wake:"auto"}, ask_peer or timer overrides it.</li>
 * <li><b>{@code wake:"off"}</b> on the message: {@code skipped_off}. Absolute for that message.</li>
 * <li><b>Offline</b> agent: {@code skipped_offline}; the message waits in its inbox.</li>
 * <li><b>Is a wake wanted at all</b> (the {@link WakeBasis}); if not, {@code skipped_not_requested}:
 *   <ul>
 *   <li>{@code wake:"auto"} → {@code explicit} (lenient), whatever the kind;</li>
 *   <li>ask_peer → {@code ask_peer} (explicit: the asker waits on it);</li>
 *   <li>a hub retry of an unconfirmed wake → {@code retry} (it continues a wake that passed the policy);</li>
 *   <li>the hub deciding again a wake the debounce or rate limit refused → {@code deferred} (that wake had passed
 *       every gate before them);</li>
 *   <li>{@code action_required}, complete/block outcomes, operator messages, re-pokes and pull-backs → their own
 *       automatic basis (lenient);</li>
 *   <li>a plain send or a reply to a bound agent with no hooks (no activity signal: nothing would deliver the
 *       message or tell us it is idle) → {@code hookless_default} (lenient); to an unbound hookless agent →
 *       not requested (huddle can't tell it is a live agent session);</li>
 *   <li>a plain send to a hooked agent → not requested: its hooks deliver the message at its next turn;</li>
 *   <li>a reply that answers the requester's pending, timed-out ask → {@code late_reply_to_pending} (lenient);</li>
 *   <li>any other reply to a hooked requester → {@code reply_default}, strict (gate 8).</li>
 *   </ul></li>
 * <li><b>Strategy {@code off}</b>: automatic bases are {@code skipped_strategy_off}; explicit ones
 *     ({@code explicit}, {@code ask_peer}, {@code retry}, {@code deferred}) go on.</li>
 * <li><b>One wake per (target, reply_to)</b>: a request with a reply_to whose key is in the history →
 *     {@code skipped_already_woken} (retries carry no reply_to: they are the same wake).</li>
 * <li><b>Busy</b>: blocked in ask_peer, or a busy report younger than the busy TTL (10 min) →
 *     {@code skipped_busy}. A busy report exactly 10 min old or older is stale (a lost Stop hook) and does not block;
 *     a busy report with no time counts as fresh; idle and unknown never block here.</li>
 * <li><b>Fresh idle</b>, for {@code reply_default} only: the requester must be idle with a report younger than
 *     the fresh-idle window (5 min), else {@code skipped_no_fresh_idle}. Exactly 5 min is no longer fresh.</li>
 * <li><b>Debounce</b>: the agent was woken less than 2 s ago → {@code skipped_debounced} (exactly 2 s ago passes).</li>
 * <li><b>Rate limit</b>: 6 wakes of this agent in the last 5 min (a wake exactly 5 min ago no longer counts) →
 *     {@code skipped_rate_limited}.</li>
 * </ol>
 * Otherwise {@code will_fire}. Report times in the future (a clock stepped back) count as "just now".
 */
public final class WakePolicy {
    private WakePolicy() {}

    public static WakeDecision decide(WakeRequest r, WakeSettings s, WakeHistory h, Instant now) {
        WakeTarget t = r.target();
        if (s.killSwitch() != null) {
            return skip(WakeStatus.SKIPPED_KILL_SWITCH, null, "wakes are switched off (" + s.killSwitch() + ")");
        }
        if (r.choice() == WakeChoice.OFF) {
            return skip(WakeStatus.SKIPPED_OFF, null, "the sender passed wake:\"off\"");
        }
        if (!t.online()) {
            return skip(WakeStatus.SKIPPED_OFFLINE, null, "the agent is offline; the message waits in its inbox");
        }
        WakeBasis basis = basis(r);
        if (basis == null) return skip(WakeStatus.SKIPPED_NOT_REQUESTED, null, notRequested(t));
        if (basis.automatic() && s.strategy() == WakeSettings.Strategy.OFF) {
            return skip(WakeStatus.SKIPPED_STRATEGY_OFF, basis, "the wake strategy is off, so automatic wakes ("
                    + basis.wireName() + ") are not sent; wake:\"auto\" still wakes");
        }
        if (r.replyTo() != null && h.wokenFor(t.agentId(), r.replyTo())) {
            return skip(WakeStatus.SKIPPED_ALREADY_WOKEN, basis, "already woken once for reply_to " + r.replyTo()
                    + " (one wake per target and reply_to)");
        }
        if (t.inAskPeer()) {
            return skip(WakeStatus.SKIPPED_BUSY, basis, "blocked in an ask_peer call (mid-turn); it reads the message when the call returns");
        }
        if (freshBusy(t, s, now)) {
            Duration age = t.activityAge(now);
            return skip(WakeStatus.SKIPPED_BUSY, basis, age == null ? "busy (report time unknown, so taken as fresh)"
                    : "busy for " + secs(age) + " (fresher than the " + secs(s.busyTtl()) + " busy TTL)");
        }
        if (basis == WakeBasis.REPLY_DEFAULT && !freshIdle(t, s, now)) {
            return skip(WakeStatus.SKIPPED_NO_FRESH_IDLE, basis, "a reply wakes its requester by default only when it has been idle for less than "
                    + secs(s.freshIdle()) + ", and it " + state(t, now) + "; pass wake:\"auto\" to wake it anyway");
        }
        Instant last = h.lastWake(t.agentId());
        if (last != null) {
            Duration since = Duration.between(last, now);
            if (since.compareTo(s.debounce()) < 0) {
                return skip(WakeStatus.SKIPPED_DEBOUNCED, basis, "woken " + secs(since.isNegative() ? Duration.ZERO : since)
                        + " ago (debounce " + secs(s.debounce()) + ")");
            }
        }
        int recent = h.wakesAfter(t.agentId(), now.minus(s.rateWindow()));
        if (recent >= s.rateLimit()) {
            return skip(WakeStatus.SKIPPED_RATE_LIMITED, basis, recent + " wakes in the last " + secs(s.rateWindow())
                    + " (limit " + s.rateLimit() + " per " + secs(s.rateWindow()) + ")");
        }
        return new WakeDecision(WakeStatus.WILL_FIRE, basis, because(basis) + "; it " + state(t, now));
    }

    /** Whether a busy report younger than the busy TTL (or of unknown age) says the agent is working. */
    public static boolean freshBusy(WakeTarget t, WakeSettings s, Instant now) {
        if (t.activity() != Activity.BUSY) return false;
        Duration age = t.activityAge(now);
        return age == null || age.compareTo(s.busyTtl()) < 0;
    }

    /** Whether an idle report younger than the fresh-idle window says the agent just finished a turn. */
    public static boolean freshIdle(WakeTarget t, WakeSettings s, Instant now) {
        Duration age = t.activityAge(now);
        return t.activity() == Activity.IDLE && age != null && age.compareTo(s.freshIdle()) < 0;
    }

    /** The rule that wants this wake, or null when none does. */
    static WakeBasis basis(WakeRequest r) {
        if (r.choice() == WakeChoice.AUTO && r.kind() != WakeKind.RETRY && r.kind() != WakeKind.DEFERRED) return WakeBasis.EXPLICIT;
        WakeTarget t = r.target();
        return switch (r.kind()) {
            case ASK -> WakeBasis.ASK_PEER;
            case ACTION_REQUIRED -> WakeBasis.ACTION_REQUIRED;
            case OUTCOME -> WakeBasis.OUTCOME;
            case OPERATOR -> WakeBasis.OPERATOR;
            case REPOKE -> WakeBasis.REPOKE;
            case PULL_BACK -> WakeBasis.PULL_BACK;
            case REPLY -> r.pendingTimedOutAsk() ? WakeBasis.LATE_REPLY
                    : t.hasHooks() ? WakeBasis.REPLY_DEFAULT : hookless(t);
            case SEND -> t.hasHooks() ? null : hookless(t);
            case RETRY -> WakeBasis.RETRY;
            case DEFERRED -> WakeBasis.DEFERRED;
        };
    }

    private static WakeBasis hookless(WakeTarget t) {
        return t.bound() ? WakeBasis.HOOKLESS_DEFAULT : null;
    }

    private static String notRequested(WakeTarget t) {
        return t.hasHooks() ? "a plain send to an agent with hooks needs no wake: its hooks deliver the message at its next turn; pass wake:\"auto\" to wake it now"
                : "the agent is not bound to a session and reports no activity, so it is not woken by default; pass wake:\"auto\" to wake it anyway";
    }

    private static String because(WakeBasis b) {
        return switch (b) {
            case EXPLICIT -> "the sender asked for it with wake:\"auto\"";
            case ASK_PEER -> "ask_peer wakes its target";
            case RETRY -> "retrying an unconfirmed wake";
            case DEFERRED -> "deciding again a wake the debounce or rate limit had deferred";
            case ACTION_REQUIRED -> "action_required messages wake by default";
            case OUTCOME -> "complete_work/block_work wake the requester by default";
            case OPERATOR -> "messages from the operator wake by default";
            case HOOKLESS_DEFAULT -> "a bound agent without hooks (no activity signal) is woken by default";
            case REPLY_DEFAULT -> "a reply wakes a freshly idle requester by default";
            case LATE_REPLY -> "this answers the requester's timed-out ask";
            case REPOKE -> "re-poking a silent delegate";
            case PULL_BACK -> "pulling back the requester of an answered, timed-out ask";
        };
    }

    /** "has been idle for 30 s", "reports no activity", …: the target's state for reasons. */
    private static String state(WakeTarget t, Instant now) {
        Duration age = t.activityAge(now);
        if (t.activity() == Activity.UNKNOWN) return "reports no activity";
        if (age == null) return "is " + t.activity().wireName() + " (report time unknown)";
        return "has been " + t.activity().wireName() + " for " + secs(age);
    }

    private static WakeDecision skip(WakeStatus status, WakeBasis basis, String reason) {
        return new WakeDecision(status, basis, reason);
    }

    /** "42 s", "1.5 s", "0.001 s": durations in seconds without trailing zeros. */
    static String secs(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
