package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.CommitWatcher;
import dev.huddle.store.MessageStore;

import java.util.Optional;

/**
 * Replies that another machine's hub committed to a shared store: each is handed to the {@code ask_peer} waiting for
 * it here, as {@link Outbox} hands a local reply. One thread sleeps on the store's commit signal (fed by the other
 * hubs' notifications, no polling) and, after each commit, looks up the reply of every ask waiting on this hub. A
 * local reply is reserved before it commits, so this never hands out one that {@link Outbox} hands out itself; a
 * remote reply is looked up and reserved under the asker's read lock ({@link Inbox#reserveForAsk}), so a concurrent
 * read_my_messages or hook answer of the same agent never hands it out too.
 */
public final class RemoteReplies implements AutoCloseable {
    private final AskWaiters waiters;
    private final Inbox inbox;
    private final MessageStore messages;
    private final Deliveries deliveries;
    private final CommitWatcher watcher;

    public RemoteReplies(Messaging messaging, MessageStore messages, Deliveries deliveries, ChangeSignal changes) {
        this.waiters = messaging.askWaiters();
        this.inbox = messaging.inbox();
        this.messages = messages;
        this.deliveries = deliveries;
        this.watcher = new CommitWatcher("remote-replies", changes, java.util.Set.of("messages", "asks"), this::look, "looking for replies from other machines");
    }

    public RemoteReplies start() {
        watcher.start();
        return this;
    }

    private void look() {
        for (AskWaiters.Waiter w : waiters.all()) handOver(w);
    }

    private void handOver(AskWaiters.Waiter w) {
        if (w.reply().isDone()) return;
        // a local reply, or one a read offered already, is reserved: not ours
        Optional<Message> reply = inbox.reserveForAsk(w.requesterId(), () -> messages.replyFrom(w.targetId(), w.requestId()));
        if (reply.isPresent() && !waiters.complete(w, reply.get())) deliveries.release(w.requesterId(), reply.get().id());
    }

    @Override
    public void close() {
        watcher.close();
    }
}
