package dev.huddle.hub.wake;

import dev.huddle.core.wake.WakeDecision;
import dev.huddle.core.wake.WakeRequest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who hears of the wake service's decisions and route outcomes. The hub makes it before the wake service and hands
 * it to the service's constructor; the {@link WakeTimers}, which need the service to wake, join it once they are
 * built, so nothing is set on the service afterwards.
 */
public final class WakeListeners implements WakeService.Listener {
    private final List<WakeService.Listener> listeners = new CopyOnWriteArrayList<>();

    public void add(WakeService.Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void decided(WakeRequest request, WakeDecision decision, Instant at) {
        for (WakeService.Listener l : listeners) l.decided(request, decision, at);
    }

    @Override
    public void routed(int attempt, Instant at) {
        for (WakeService.Listener l : listeners) l.routed(attempt, at);
    }
}
