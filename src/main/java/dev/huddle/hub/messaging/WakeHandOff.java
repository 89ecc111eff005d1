package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.core.wake.WakeTarget;
import dev.huddle.store.AgentStore;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands a message to the wake decision, on its recipient as it is when the message is stored, not as the send
 * resolved it before, and under the recipient's {@link ReadLocks} lock, the one its turn-end hook delivers under
 * ({@link Inbox#forHookAtTurnEnd}): a Stop hook that ran in between found no mail and marked it idle, and a decision
 * on the older "busy" would leave it idle with this message and no wake. The lock is held from before the message's
 * transaction until its work is done, so the decision is recorded in that transaction: one commit per send. It is
 * let go before the commit (group commit: the next send to the same recipient joins the batch); a turn-end hook that
 * takes it then reads on the same connection, so it sees the message, and its own writes commit with it or after.
 */
final class WakeHandOff {
    private final AgentStore agents;
    private final ReadLocks locks;
    private final AskWaiters waiters;
    private final Wakes wakes;

    /** A stored message and what its wake decision says. */
    record Sent(Message message, Wakes.Outcome wake) {}

    WakeHandOff(AgentStore agents, ReadLocks locks, AskWaiters waiters, Wakes wakes) {
        this.agents = agents;
        this.locks = locks;
        this.waiters = waiters;
        this.wakes = wakes;
    }

    /**
     * Stores a message with {@code store}, which must call the consumer it is given with the message inside the
     * transaction that stores it and return the wait for its commit ({@link dev.huddle.store.Transactor#inTransactionLater}):
     * the wake is decided and recorded there, and started once it committed. A failed store decides nothing and starts
     * nothing.
     */
    Sent store(Agent recipient, Function<WakeTarget, WakeRequest> request, Function<Consumer<Message>, Supplier<Message>> store) {
        if (wakes == Wakes.NONE) return new Sent(store.apply(m -> {}).get(), Wakes.Outcome.NONE); // no lock for a decision nobody makes
        Wakes.Decided[] decided = {Wakes.Decided.NOTHING};
        Supplier<Message> committed;
        synchronized (locks.of(recipient.agentId())) {
            committed = store.apply(stored -> decided[0] = decide(stored.id(), recipient, request));
        }
        Message m = committed.get(); // outside the lock: the next send to this recipient may join the commit
        return new Sent(m, start(decided[0]));
    }

    /** The wake decided for the committed {@code messageId}; never throws: the message is committed whatever happens here. */
    Wakes.Outcome wake(String messageId, Agent recipient, Function<WakeTarget, WakeRequest> request) {
        if (wakes == Wakes.NONE) return Wakes.Outcome.NONE;
        Wakes.Decided d;
        synchronized (locks.of(recipient.agentId())) {
            d = decide(messageId, recipient, request);
        }
        return start(d);
    }

    /** Never throws: a failed wake decision must not fail (or roll back) the send. */
    private Wakes.Decided decide(String messageId, Agent recipient, Function<WakeTarget, WakeRequest> request) {
        try {
            Agent now = agents.find(recipient.agentId()).orElse(recipient);
            return wakes.decide(messageId, now, request.apply(WakeTarget.of(now, waiters.isWaiting(now.agentId()))));
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private static Wakes.Outcome start(Wakes.Decided d) {
        try {
            return d.start();
        } catch (RuntimeException e) {
            return failed(e).start();
        }
    }

    private static Wakes.Decided failed(RuntimeException e) {
        Wakes.Outcome o = new Wakes.Outcome("failed", "the wake decision failed: " + e.getMessage());
        return () -> o;
    }
}
