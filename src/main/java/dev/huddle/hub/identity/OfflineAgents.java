package dev.huddle.hub.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Agents the liveness checks took offline (their process ended), told after the change is stored. Created before
 * the registry that tells it and the services that listen (an armed rewake waiter ends, claims are released), and
 * handed to each by constructor, so none of them needs another to exist first.
 */
public final class OfflineAgents {
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** {@code listener} is told the id of each agent that goes offline from now on. */
    public void listen(Consumer<String> listener) {
        listeners.add(listener);
    }

    void wentOffline(String agentId) {
        for (Consumer<String> l : listeners) l.accept(agentId);
    }
}
