package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.Message;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The asks that have a caller waiting right now, by request id. A correlated reply completes its waiter the
 * moment it is committed: no polling. An ask without a waiter (timed out, cancelled, hub restarted) stays
 * pending in the database and its reply is delivered like any message.
 */
public final class AskWaiters {
    /** A waiting ask: who asked whom, and the future the reply completes. */
    public record Waiter(String requestId, String requesterId, String targetId, CompletableFuture<Message> reply) {}

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();

    public Waiter register(String requestId, String requesterId, String targetId) {
        Waiter w = new Waiter(requestId, requesterId, targetId, new CompletableFuture<>());
        waiting.put(requestId, w);
        return w;
    }

    /** The waiter a message from {@code senderId} with {@code replyTo} would answer, if any. */
    Waiter waiterFor(String replyTo, String senderId) {
        if (replyTo == null) return null;
        Waiter w = waiting.get(replyTo);
        return w != null && w.targetId().equals(senderId) ? w : null;
    }

    /** Hands {@code reply} to its waiter; false when the waiter is gone (then the reply is delivered normally). */
    boolean complete(Waiter w, Message reply) {
        return waiting.remove(w.requestId(), w) && w.reply().complete(reply);
    }

    /** Whether this agent is blocked in an ask_peer right now (it cannot act on a wake until the ask ends). */
    public boolean isWaiting(String agentId) {
        for (Waiter w : waiting.values()) if (w.requesterId().equals(agentId)) return true;
        return false;
    }

    /** Whether a caller still waits on this request id (false once its ask timed out or was cancelled). */
    boolean isWaitingOn(String requestId) {
        return waiting.containsKey(requestId);
    }

    /** The asks waiting now. */
    java.util.List<Waiter> all() {
        return java.util.List.copyOf(waiting.values());
    }

    public void remove(Waiter w) {
        waiting.remove(w.requestId(), w);
    }
}
