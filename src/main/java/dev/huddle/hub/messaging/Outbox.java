package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Writes messages: a random id that never changes, one row per recipient, and for a correlated reply the mark on its
 * ask and the hand-over to the ask_peer call that waits for it.
 */
final class Outbox {
    private final MessageStore messages;
    private final Transactor tx;
    private final Deliveries deliveries;
    private final AskWaiters waiters;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Outbox(MessageStore messages, Transactor tx, Deliveries deliveries, AskWaiters waiters, Clock clock) {
        this.messages = messages;
        this.tx = tx;
        this.deliveries = deliveries;
        this.waiters = waiters;
        this.clock = clock;
    }

    String newId() {
        return MessageRules.newId(random);
    }

    /**
     * Stores one message from {@code me} to {@code to} in its own transaction (a reply marks the ask it answers) and
     * hands a correlated reply to its waiting ask; returns it.
     */
    Message send(Agent me, Agent to, Draft d) {
        return send(me, to, d, m -> {});
    }

    /** As {@link #send(Agent, Agent, Draft)}, running {@code alsoInTransaction} with the message before it commits. */
    Message send(Agent me, Agent to, Draft d, java.util.function.Consumer<Message> alsoInTransaction) {
        return sendLater(me, to, d, alsoInTransaction).get();
    }

    /**
     * As {@link #send(Agent, Agent, Draft, java.util.function.Consumer)}, returning once the transaction's work is
     * done: the supplier waits for its commit ({@link Transactor#inTransactionLater}), then hands a correlated reply to
     * its waiting ask, and returns the message.
     */
    Supplier<Message> sendLater(Agent me, Agent to, Draft d, java.util.function.Consumer<Message> alsoInTransaction) {
        AskWaiters.Waiter waiter = waiters.waiterFor(d.replyTo(), me.agentId());
        String id = newId();
        if (waiter != null) deliveries.reserve(to.agentId(), id); // invisible to reads until the waiter has it
        Supplier<Message> committed;
        try {
            committed = tx.inTransactionLater(() -> {
                Message inserted = insert(me.agentId(), Message.Origin.PEER, to, d, null, me.projectRoot(), id);
                if (d.replyTo() != null) {
                    messages.findAsk(d.replyTo())
                            .filter(a -> a.targetId().equals(me.agentId()) && a.requesterId().equals(to.agentId()))
                            .ifPresent(a -> messages.markAskAnswered(a.requestId(), inserted.id(), inserted.createdAt()));
                }
                alsoInTransaction.accept(inserted);
                return inserted;
            });
        } catch (RuntimeException e) {
            if (waiter != null) deliveries.release(to.agentId(), id);
            throw e;
        }
        return () -> {
            Message m;
            try {
                m = committed.get();
            } catch (RuntimeException e) {
                if (waiter != null) deliveries.release(to.agentId(), id);
                throw e;
            }
            if (waiter != null && !waiters.complete(waiter, m)) deliveries.release(to.agentId(), id);
            return m;
        };
    }

    /** Whether {@code replyTo} names an ask of {@code requester} that timed out and still waits for its answer. */
    boolean answersTimedOutAsk(String replyTo, Agent requester) {
        if (replyTo == null) return false;
        return messages.findAsk(replyTo).filter(a -> a.requesterId().equals(requester.agentId()) && a.state() == Ask.State.PENDING).isPresent()
                && !waiters.isWaitingOn(replyTo);
    }

    /** Inserts one row under a new id (call inside a transaction). */
    Message insert(String senderId, Message.Origin origin, Agent to, Draft d, String requestId, String project) {
        return insert(senderId, origin, to, d, requestId, project, newId());
    }

    private Message insert(String senderId, Message.Origin origin, Agent to, Draft d, String requestId, String project, String id) {
        Message m = new Message(0, id, project, senderId, origin, to.agentId(), d.body(), requestId, d.replyTo(),
                d.sourceMessageId(), d.actionRequired(), d.wake(), clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null,
                d.actionRequired() ? Message.ObligationState.OPEN : null, null, null);
        messages.insert(m);
        return m;
    }
}
