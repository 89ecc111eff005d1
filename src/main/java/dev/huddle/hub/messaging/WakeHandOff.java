package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.core.wake.WakeTarget;
import dev.huddle.store.AgentStore;

import java.util.function.Function;

/**
 * Hands a committed message to the wake decision, on its recipient as it is now, not as the send resolved it before
 * the commit, and under the recipient's {@link ReadLocks} lock, the one its turn-end hook delivers under
 * ({@link Inbox#forHookAtTurnEnd}): a Stop hook that ran in between found no mail and marked it idle, and a decision
 * on the older "busy" would leave it idle with this message and no wake.
 */
final class WakeHandOff {
    private final AgentStore agents;
    private final ReadLocks locks;
    private final AskWaiters waiters;
    private final Wakes wakes;

    WakeHandOff(AgentStore agents, ReadLocks locks, AskWaiters waiters, Wakes wakes) {
        this.agents = agents;
        this.locks = locks;
        this.waiters = waiters;
        this.wakes = wakes;
    }

    /** The wake decided for {@code messageId}; never throws: the message is committed whatever happens here. */
    Wakes.Outcome wake(String messageId, Agent recipient, Function<WakeTarget, WakeRequest> request) {
        if (wakes == Wakes.NONE) return Wakes.Outcome.NONE; // no lock and no lookup for a decision nobody makes
        try {
            synchronized (locks.of(recipient.agentId())) {
                Agent now = agents.find(recipient.agentId()).orElse(recipient);
                return wakes.afterCommit(messageId, now, request.apply(WakeTarget.of(now, waiters.isWaiting(now.agentId()))));
            }
        } catch (RuntimeException e) {
            // A failed wake must not fail the send.
            return new Wakes.Outcome("failed", "the wake decision failed: " + e.getMessage());
        }
    }
}
