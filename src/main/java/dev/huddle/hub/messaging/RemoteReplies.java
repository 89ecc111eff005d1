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
 * local reply is reserved before it commits, so this never hands out one that {@link Outbox} hands out itself.
 */
public final class RemoteReplies implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RemoteReplies.class.getName());

    private final AskWaiters waiters;
    private final MessageStore messages;
    private final Deliveries deliveries;
    private final ChangeSignal changes;
    private final Thread thread;
    private volatile boolean closed;

    public RemoteReplies(Messaging messaging, MessageStore messages, Deliveries deliveries, ChangeSignal changes) {
        this.waiters = messaging.askWaiters();
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
        Optional<Message> reply = messages.replyFrom(w.targetId(), w.requestId());
        if (reply.isEmpty() || reply.get().deliveredAt() != null) return;
        String id = reply.get().id();
        if (deliveries.reservedFor(w.requesterId()).contains(id)) return; // a local reply (or offered already): not ours
        deliveries.reserve(w.requesterId(), id);
        if (!waiters.complete(w, reply.get())) deliveries.release(w.requesterId(), id);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
