package dev.huddle.hub.identity;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.Handles;
import dev.huddle.store.AgentStore;
import dev.huddle.terminal.ProcessInspector;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * How an agent row gets or changes its session id, for every way of binding (env, tool-call meta, hook, claim). Runs
 * inside the caller's transaction. Identity is monotonic: {@link BindingSource#mayBeReplacedBy} decides.
 */
final class Bindings {
    private static final Logger LOG = Logger.getLogger(Bindings.class.getName());
    private final AgentStore store;
    private final ProcessInspector processes;
    private final Fronts fronts;

    Bindings(AgentStore store, ProcessInspector processes, Fronts fronts) {
        this.store = store;
        this.processes = processes;
        this.fronts = fronts;
    }

    /** Gives a provisional agent its real session id; merges into an existing row of that id. */
    Agent bind(Agent provisional, String sessionId, BindingSource source, Instant now) {
        if (!provisional.binding().mayBeReplacedBy(source, false)) return provisional;
        Optional<Agent> existing = store.findBySessionId(sessionId);
        if (existing.isPresent() && !existing.get().agentId().equals(provisional.agentId())) {
            Agent into = existing.get();
            Agent merged = into.seen(provisional.projectRoot(), provisional.cwd(), provisional.process(), now);
            if (merged.name() == null && provisional.name() != null || merged.purpose() == null && provisional.purpose() != null) {
                merged = merged.withState(merged.purpose() != null ? merged.purpose() : provisional.purpose(),
                        merged.name() != null ? merged.name() : provisional.name(), now);
            }
            if (provisional.name() != null) store.save(provisional.withState(provisional.purpose(), null, provisional.stateUpdatedAt()));
            store.save(merged);
            store.mergeInto(provisional.agentId(), into.agentId());
            return merged;
        }
        store.rename(provisional.agentId(), sessionId);
        Agent renamed = store.find(sessionId).orElseThrow().withBinding(sessionId, source);
        store.save(renamed);
        LOG.info("agent " + Handles.handle(provisional.agentId()) + " bound to session " + sessionId + " via " + source.wireName());
        return renamed;
    }

    /**
     * The agent process now runs another session (Claude Code /clear starts a new id; resume inside the TUI
     * switches to an old one). A new id renames the row, so messages, asks and name follow the agent the peers
     * know; an existing session row takes the process over and the old row goes offline.
     */
    Agent rebind(Agent a, String sessionId, AgentProcess proc, Instant now) {
        Optional<Agent> existing = store.findBySessionId(sessionId);
        if (existing.isEmpty()) {
            store.rename(a.agentId(), sessionId);
            Agent renamed = store.find(sessionId).orElseThrow().withBinding(sessionId, BindingSource.HOOK);
            store.save(renamed);
            LOG.info("agent " + a.handle() + " moved to session " + sessionId + " (same process)");
            return renamed;
        }
        Agent into = existing.get().seen(a.projectRoot(), a.cwd(), proc, now).withBinding(sessionId, BindingSource.HOOK);
        store.save(a.wentOffline(now));
        store.save(into);
        if (proc != null) store.linkProcess(proc, into.agentId(), now);
        LOG.info("agent process of " + a.handle() + " resumed session " + into.handle());
        return into;
    }

    /**
     * Whether a running process other than {@code mine} speaks for {@code a}: one linked to it, or the parent of a front
     * connected to it. Its session is then someone else's: no hook, front, tool call or claim from another process
     * may take it ({@code mine} null, an unproven caller, takes no session that runs).
     */
    boolean heldByAnother(Agent a, AgentProcess mine) {
        for (AgentProcess p : store.processesOf(a.agentId())) {
            if (mine != null && ProcessInspector.sameProcess(p, mine)) continue;
            if (processes.isAlive(p)) return true;
        }
        for (FrontConnection f : fronts.all()) {
            AgentProcess p = f.agentProcess();
            if (f.closed() || p == null || mine != null && ProcessInspector.sameProcess(p, mine)) continue;
            if (a.agentId().equals(fronts.resolveId(f)) && processes.isAlive(p)) return true;
        }
        return false;
    }

    /**
     * Refuses to hand session {@code sessionId} to {@code mine} when another running process holds it.
     *
     * @throws HuddleError {@code session-in-use}
     */
    void ensureFree(String sessionId, AgentProcess mine) {
        Optional<Agent> holder = store.findBySessionId(sessionId);
        if (holder.isPresent() && heldByAnother(holder.get(), mine)) {
            throw new HuddleError("session-in-use", "session " + sessionId + " runs in another process"
                    + (holder.get().process() == null ? "" : " (pid " + holder.get().process().pid() + ")")
                    + (mine == null ? "; this caller could not be proven to be it" : ", not in pid " + mine.pid()),
                    "A session is spoken for only from its own process: its hooks, its MCP server, or claim_session there.");
        }
    }
}
