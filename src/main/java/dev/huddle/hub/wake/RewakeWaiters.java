package dev.huddle.hub.wake;

import dev.huddle.agents.AgentClients;
import dev.huddle.agents.WakeRoute;
import dev.huddle.core.identity.Agent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Armed rewake hooks (a client's idle-wait hook, such as Claude Code's {@code asyncRewake}), at most one per agent:
 * each is a hook request the hub holds while the agent is idle. {@link #fire} hands it the go-ahead to answer with the
 * agent's mail (the hook exits 2 and the client starts a turn); {@link #release} lets it end quietly (the agent got busy, its session
 * ended, or a newer waiter took over). The future of {@link Waiter#written} says whether the answer reached curl,
 * which is what the wake route reports.
 */
public final class RewakeWaiters {
    public enum Signal { FIRE, RELEASE, POLL_AGAIN }

    public static final class Waiter {
        final String agentId;
        public final CompletableFuture<Signal> signal = new CompletableFuture<>();
        /** Completed by the request's thread: true when the answer with mail reached curl. */
        public final CompletableFuture<Boolean> written = new CompletableFuture<>();

        Waiter(String agentId) {
            this.agentId = agentId;
        }
    }

    private final Map<String, Waiter> armed = new ConcurrentHashMap<>();

    /** Arms a waiter for the agent; an older one ends quietly. */
    public Waiter arm(String agentId) {
        Waiter w = new Waiter(agentId);
        Waiter old = armed.put(agentId, w);
        if (old != null) old.signal.complete(Signal.RELEASE);
        return w;
    }

    public boolean isArmed(String agentId) {
        return armed.containsKey(agentId);
    }

    /**
     * For the cockpit and diagnose: whether the agent's idle-wait hook waits in the hub right now (a wake then needs no
     * keystrokes); null when its client wakes no session through such a hook.
     */
    public Boolean armedState(Agent agent) {
        boolean hasHook = AgentClients.installed().of(agent.clientType())
                .map(c -> c.wakeRoutes().contains(WakeRoute.IDLE_WAIT_HOOK)).orElse(false);
        return hasHook ? isArmed(agent.agentId()) : null;
    }

    /** Wakes the agent through its armed waiter; null when none is armed. */
    Waiter fire(String agentId) {
        Waiter w = armed.remove(agentId);
        if (w == null) return null;
        if (!w.signal.complete(Signal.FIRE)) return null;
        return w;
    }

    /** The agent no longer needs waking (busy, ended): its waiter ends quietly. */
    public void release(String agentId) {
        Waiter w = armed.remove(agentId);
        if (w != null) w.signal.complete(Signal.RELEASE);
    }

    /** The waiter is done (answered, timed out, failed): forget it unless a newer one replaced it. */
    public void done(Waiter w) {
        armed.remove(w.agentId, w);
    }
}
