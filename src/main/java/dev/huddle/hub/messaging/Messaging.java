package dev.huddle.hub.messaging;

import dev.huddle.store.AgentStore;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;
import dev.huddle.store.WakeStore;

import java.time.Clock;

/**
 * The messaging room: its pieces, one responsibility each, built together by {@link #create} so that they share,
 * explicitly, what must be shared: one {@link ReadLocks} lock per recipient (reads and hook deliveries, and the
 * {@link WakeHandOff} that decides wakes under it), one {@link Outbox} that writes messages and hands replies to
 * their waiting asks ({@link AskWaiters}). Every write is one transaction; deliveries are receipts of what the model
 * really got ({@link Deliveries}).
 *
 * @param askWaiters the asks with a caller waiting right now (who is blocked in ask_peer): the wake timers ask too
 */
public record Messaging(Sending sending, Notices notices, Inbox inbox, Asking asking, Replies replies,
                        Obligations obligations, MessageStatus status, MessageHistory history, AskWaiters askWaiters) {

    /**
     * @param wakeLog  the wakes decided and tried (message_status reports the latest)
     * @param wakes    decides the wake of each committed message ({@link Wakes#NONE}: nobody is woken)
     * @param changes  the database's commit signal ({@code huddle log --follow} waits on it)
     */
    public static Messaging create(AgentStore agents, MessageStore messages, WakeStore wakeLog, Transactor tx, Deliveries deliveries,
                                   Wakes wakes, ChangeSignal changes, Asking.Timeouts askTimeouts, Clock clock) {
        AskWaiters waiters = new AskWaiters();
        ReadLocks locks = new ReadLocks();
        WakeHandOff handOff = new WakeHandOff(agents, locks, waiters, wakes);
        Outbox outbox = new Outbox(messages, tx, deliveries, waiters, clock);
        Recipients recipients = new Recipients(agents);
        return new Messaging(
                new Sending(agents, messages, tx, recipients, outbox, handOff),
                new Notices(agents, tx, outbox, handOff),
                new Inbox(agents, messages, deliveries, locks),
                new Asking(agents, messages, tx, deliveries, waiters, recipients, outbox, handOff, askTimeouts),
                new Replies(agents, messages, deliveries, outbox, handOff),
                new Obligations(agents, messages, tx, outbox, handOff, clock),
                new MessageStatus(agents, messages, wakeLog),
                new MessageHistory(messages, tx, changes),
                waiters);
    }
}
