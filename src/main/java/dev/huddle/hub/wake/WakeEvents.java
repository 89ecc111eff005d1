package dev.huddle.hub.wake;

import dev.huddle.core.wake.WakeDecision;
import dev.huddle.core.wake.WakeRequest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What one part of the wake room tells another: a rewake waiter armed ({@link RewakeWaiters}; the
 * {@link WakeService} catches up on mail that found no route), a wake decided and a route's outcome known (the
 * {@link WakeService}; the {@link WakeTimers} schedule their next look by them). Created first and handed to its
 * producers and listeners by constructor, so the wake service and the timers that call it need not exist in turn.
 */
public final class WakeEvents {
    private final List<Consumer<String>> armed = new CopyOnWriteArrayList<>();
    private final List<WakeService.Listener> decisions = new CopyOnWriteArrayList<>();

    void onArmed(Consumer<String> listener) {
        armed.add(listener);
    }

    void onDecisions(WakeService.Listener listener) {
        decisions.add(listener);
    }

    void armed(String agentId) {
        for (Consumer<String> l : armed) l.accept(agentId);
    }

    void decided(WakeRequest request, WakeDecision decision, Instant at) {
        for (WakeService.Listener l : decisions) l.decided(request, decision, at);
    }

    void routed(int attempt, Instant at) {
        for (WakeService.Listener l : decisions) l.routed(attempt, at);
    }
}
