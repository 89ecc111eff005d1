package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Replies that another machine's hub committed to a shared store: each is handed to the {@code ask_peer} waiting for
 * it here, as {@link Outbox} hands a local reply. One thread sleeps on the store's commit signal (fed by the other
 * hubs' notifications, no polling) and, after each commit, looks up the reply of every ask waiting on this hub. A
 * local reply is reserved before it commits, so this never hands out one that {@link Outbox} hands out itself; a
 * remote reply is looked up and reserved under the asker's read lock ({@link Inbox#reserveForAsk}), so a concurrent
 * read_my_messages or hook answer of the same agent never hands it out too.
 */
public final class RemoteReplies implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RemoteReplies.class.getName());

    private final AskWaiters waiters;
    private final Inbox inbox;
    private final MessageStore messages;
    private final Deliveries deliveries;
    private final ChangeSignal changes;
    private final Thread thread;
    private volatile boolean closed;

    public RemoteReplies(Messaging messaging, MessageStore messages, Deliveries deliveries, ChangeSignal changes) {
        this.waiters = messaging.askWaiters();
        this.inbox = messaging.inbox();
        this.messages = messages;
        this.deliveries = deliveries;
        this.changes = changes;
        this.thread = Thread.ofPlatform().daemon().name("remote-replies").unstarted(this::loop);
    }

    public RemoteReplies start() {
        thread.start();
        return this;
    }

    private void loop() {
        long seen = changes.generation();
        while (!closed) {
            try {
                seen = changes.awaitAfter(seen, 60_000);
                for (AskWaiters.Waiter w : waiters.all()) handOver(w);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warning("looking for replies from other machines failed (tried again at the next commit): " + e.getMessage());
            }
        }
    }

    private void handOver(AskWaiters.Waiter w) {
        if (w.reply().isDone()) return;
        // a local reply, or one a read offered already, is reserved: not ours
        Optional<Message> reply = inbox.reserveForAsk(w.requesterId(), () -> messages.replyFrom(w.targetId(), w.requestId()));
        if (reply.isPresent() && !waiters.complete(w, reply.get())) deliveries.release(w.requesterId(), reply.get().id());
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
