package dev.huddle.hub.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Who hears that the liveness checks took an agent offline (its process ended), told the agent's id after the change
 * is stored. The hub makes it before the registry and hands it to the registry's constructor; the services that need
 * the news (the rewake waiters, the claims) join it as they are built, so nothing is set on the registry afterwards.
 */
public final class OfflineListeners {
    private static final Logger LOG = Logger.getLogger(OfflineListeners.class.getName());
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void add(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Tells every listener; one that fails does not keep the news from the others. */
    void wentOffline(String agentId) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(agentId);
            } catch (RuntimeException e) {
                LOG.warning("an offline listener failed for " + agentId + ": " + e);
            }
        }
    }
}
