package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.wake.WakeRequest;

/**
 * Where the wake of a committed message is decided: the hub's wake service. Messaging names no class of the wake
 * room, so the dependency points one way (the wake timers read {@link AskWaiters}).
 */
@FunctionalInterface
public interface Wakes {
    /** What a tool result says about the wake: its status and why (both null: no wake was decided). */
    record Outcome(String status, String reason) {
        static final Outcome NONE = new Outcome(null, null);
    }

    /** Nothing is woken: unit tests and benchmarks of delivery. */
    Wakes NONE = (messageId, recipient, request) -> Outcome.NONE;

    Outcome afterCommit(String messageId, Agent recipient, WakeRequest request);
}
