package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.wake.WakeRequest;

/**
 * Where the wake of a message is decided: the hub's wake service. Messaging names no class of the wake room, so the
 * dependency points one way (the wake timers read {@link AskWaiters}).
 */
@FunctionalInterface
public interface Wakes {
    /** What a tool result says about the wake: its status and why (both null: no wake was decided). */
    record Outcome(String status, String reason) {
        static final Outcome NONE = new Outcome(null, null);
    }

    /** A decision recorded in a transaction that has not committed yet: nothing happens until {@link #start()}. */
    @FunctionalInterface
    interface Decided {
        Decided NOTHING = () -> Outcome.NONE;

        /** Call once the transaction committed: starts the wake if it fires; returns what the tool result says. */
        Outcome start();
    }

    /** Nothing is woken: unit tests and benchmarks of delivery. */
    Wakes NONE = (messageId, recipient, request) -> Decided.NOTHING;

    /**
     * Decides the wake of {@code messageId} and records the decision in the caller's transaction (in one of its own
     * when there is none), so a send commits once (issue 18): the message and its wake row together.
     */
    Decided decide(String messageId, Agent recipient, WakeRequest request);
}
