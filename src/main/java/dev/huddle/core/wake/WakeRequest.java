package dev.huddle.core.wake;

import java.util.Objects;

/**
 * One question for {@link WakePolicy}: should this message (or hub timer) wake this agent?
 *
 * @param kind               what prompted the wake
 * @param target             the agent that would be woken (for a reply or outcome: the requester)
 * @param choice             the per-send {@code wake} argument
 * @param replyTo            the request id this answers (reply, outcome, pull-back); the one-wake-per-(target,
 *                           reply_to) key; null when none. A {@link WakeKind#RETRY} carries none (it is the same wake)
 *                           and a {@link WakeKind#PULL_BACK} must carry the answered ask's request id.
 * @param pendingTimedOutAsk for a reply: the requester has a pending ask whose waiter timed out and whose
 *                           request id is {@code replyTo} (so it is waiting for exactly this answer)
 */
public record WakeRequest(WakeKind kind, WakeTarget target, WakeChoice choice, String replyTo,
                          boolean pendingTimedOutAsk) {

    public WakeRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        choice = choice == null ? WakeChoice.UNSET : choice;
        if (kind == WakeKind.RETRY && replyTo != null) {
            throw new IllegalArgumentException("a retry is the same wake again: it carries no reply_to");
        }
        if (kind == WakeKind.PULL_BACK && replyTo == null) {
            throw new IllegalArgumentException("a pull-back needs the answered ask's request id as reply_to");
        }
    }

    /**
     * A {@code send_message}: {@code action_required} makes it {@link WakeKind#ACTION_REQUIRED} (even with a
     * reply_to: an obligation is the stronger signal; the reply_to still de-duplicates), else a reply_to makes it a
     * {@link WakeKind#REPLY}, else a plain {@link WakeKind#SEND}.
     */
    public static WakeRequest send(WakeTarget target, String wake, String replyTo, boolean actionRequired,
                                   boolean pendingTimedOutAsk) {
        WakeKind kind = actionRequired ? WakeKind.ACTION_REQUIRED : replyTo != null ? WakeKind.REPLY : WakeKind.SEND;
        return new WakeRequest(kind, target, WakeChoice.of(wake), replyTo, pendingTimedOutAsk);
    }

    /** {@code reply_to_message} (replyTo = the inbound's request id, null when it had none). */
    public static WakeRequest reply(WakeTarget requester, String wake, String replyTo, boolean pendingTimedOutAsk) {
        return new WakeRequest(WakeKind.REPLY, requester, WakeChoice.of(wake), replyTo, pendingTimedOutAsk);
    }

    /** {@code ask_peer}. */
    public static WakeRequest ask(WakeTarget target) {
        return new WakeRequest(WakeKind.ASK, target, WakeChoice.UNSET, null, false);
    }

    /** {@code complete_work} / {@code block_work} to the obligation's requester. */
    public static WakeRequest outcome(WakeTarget requester, String wake, String replyTo) {
        return new WakeRequest(WakeKind.OUTCOME, requester, WakeChoice.of(wake), replyTo, false);
    }

    /** A message from the human operator. */
    public static WakeRequest operator(WakeTarget target, String wake) {
        return new WakeRequest(WakeKind.OPERATOR, target, WakeChoice.of(wake), null, false);
    }

    /** Hub timer: re-poke the silent delegate of an open ask or obligation. */
    public static WakeRequest repoke(WakeTarget delegate) {
        return new WakeRequest(WakeKind.REPOKE, delegate, WakeChoice.UNSET, null, false);
    }

    /** Hub timer: pull back the requester of an answered, timed-out ask. */
    public static WakeRequest pullBack(WakeTarget requester, String requestId) {
        return new WakeRequest(WakeKind.PULL_BACK, requester, WakeChoice.UNSET, requestId, false);
    }

    /**
     * Hub timer: decide again a message's wake that the debounce or rate limit refused. It carries the refused
     * wake's reply_to (null when none): it is that wake, so one wake per (target, reply_to) still holds.
     */
    public static WakeRequest deferred(WakeTarget target, String replyTo) {
        return new WakeRequest(WakeKind.DEFERRED, target, WakeChoice.UNSET, replyTo, false);
    }

    /** Hub timer: retry an unconfirmed wake. */
    public static WakeRequest retry(WakeTarget target) {
        return new WakeRequest(WakeKind.RETRY, target, WakeChoice.UNSET, null, false);
    }
}
