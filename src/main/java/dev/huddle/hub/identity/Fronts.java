package dev.huddle.hub.identity;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.store.AgentStore;
import dev.huddle.terminal.ProcessInspector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected fronts, and the agent each speaks for now: the agent its process is linked to, unless the front is
 * bound on its own ({@link FrontConnection#ownBinding()}).
 */
final class Fronts {
    private final AgentStore store;
    private final Map<Integer, FrontConnection> open = new ConcurrentHashMap<>();

    Fronts(AgentStore store) {
        this.store = store;
    }

    void add(FrontConnection f) {
        open.put(f.id(), f);
    }

    void remove(FrontConnection f) {
        open.remove(f.id());
    }

    Collection<FrontConnection> all() {
        return open.values();
    }

    /** The agent this front speaks for, now. */
    Agent current(FrontConnection conn) {
        if (conn.ownBinding()) { // one read, not a look whether it exists and then the read (a hot path: every tool call)
            Optional<Agent> own = store.find(conn.fallbackAgentId());
            if (own.isPresent()) return own.get();
            conn.unbindOwn(); // its agent was merged away: follow the process again
        }
        if (conn.agentProcess() != null) {
            Optional<Agent> linked = store.findForProcess(conn.agentProcess()); // what resolveId reads, and the row at once
            if (linked.isPresent()) {
                if (!linked.get().agentId().equals(conn.fallbackAgentId())) conn.fallbackAgentId(linked.get().agentId());
                return linked.get();
            }
        }
        return store.find(conn.fallbackAgentId()).orElseThrow(() -> new HuddleError("not-registered",
                "this session is not registered with the hub any more", "Restart the MCP server (huddle mcp)."));
    }

    String resolveId(FrontConnection conn) {
        if (conn.ownBinding()) {
            if (store.find(conn.fallbackAgentId()).isPresent()) return conn.fallbackAgentId();
            conn.unbindOwn(); // its agent was merged away: follow the process again
        }
        if (conn.agentProcess() != null) {
            Optional<String> id = store.agentIdForProcess(conn.agentProcess());
            if (id.isPresent()) {
                if (!id.get().equals(conn.fallbackAgentId())) conn.fallbackAgentId(id.get());
                return id.get();
            }
        }
        return conn.fallbackAgentId();
    }

    /** Connected fronts per agent id, resolving each front once. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        for (FrontConnection f : open.values()) if (!f.closed()) counts.merge(resolveId(f), 1, Integer::sum);
        return counts;
    }

    /** Whether an open front has this agent process as its parent. */
    boolean anyOf(AgentProcess proc) {
        if (proc == null) return false;
        for (FrontConnection f : open.values()) if (!f.closed() && f.agentProcess() != null && ProcessInspector.sameProcess(f.agentProcess(), proc)) return true;
        return false;
    }

    /** Whether an open front of this process is bound to a session of its own. */
    boolean anyBoundOnItsOwn(AgentProcess proc) {
        return !ownBound(proc).isEmpty();
    }

    /** The open fronts of this process bound on their own to an agent that has no session id yet. */
    List<FrontConnection> waitingForASession(AgentProcess proc) {
        List<FrontConnection> waiting = new ArrayList<>();
        for (FrontConnection f : ownBound(proc)) {
            if (store.find(f.fallbackAgentId()).filter(x -> !x.bound()).isPresent()) waiting.add(f);
        }
        return waiting;
    }

    private List<FrontConnection> ownBound(AgentProcess proc) {
        List<FrontConnection> found = new ArrayList<>();
        if (proc == null) return found;
        for (FrontConnection f : open.values()) {
            if (!f.closed() && f.ownBinding() && f.agentProcess() != null && ProcessInspector.sameProcess(f.agentProcess(), proc)) found.add(f);
        }
        return found;
    }
}
