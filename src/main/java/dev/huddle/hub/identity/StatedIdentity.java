package dev.huddle.hub.identity;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What an agent states about itself: {@code claim_session} (explicit, so it overrides automatic detection) and
 * {@code set_my_state} (purpose, name, readable).
 */
final class StatedIdentity {
    private final AgentStore store;
    private final Transactor tx;
    private final Clock clock;
    private final AgentClients clients;
    private final Fronts fronts;
    private final Bindings bindings;

    StatedIdentity(AgentStore store, Transactor tx, Clock clock, AgentClients clients, Fronts fronts, Bindings bindings) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.clients = clients;
        this.fronts = fronts;
        this.bindings = bindings;
    }

    /** {@code claim_session}: explicit, so it overrides automatic detection. */
    Agent claim(FrontConnection conn, String rawSessionId) {
        String sid = Validation.sessionId(rawSessionId);
        Instant now = clock.instant();
        Agent result = tx.inTransaction(() -> {
            Agent me = fronts.current(conn);
            if (sid.equals(me.sessionId())) {
                Agent same = me.withBinding(me.sessionId(), BindingSource.CLAIM);
                store.save(same);
                return same;
            }
            Optional<Agent> existing = store.findBySessionId(sid);
            if (existing.isPresent()) {
                Agent other = existing.get();
                if (bindings.heldByAnother(other, conn.agentProcess())) {
                    throw new HuddleError("session-in-use", "session " + sid + " belongs to another running agent process"
                            + (other.process() == null ? "" : " (pid " + other.process().pid() + ")"), checkYourId());
                }
                Agent moved = other.withBinding(sid, BindingSource.CLAIM).seen(me.projectRoot(), me.cwd(), conn.agentProcess(), now);
                moved = moved.withClient(me.clientType(), me.clientName(), me.clientVersion());
                store.save(moved);
                if (conn.agentProcess() != null && !conn.ownBinding()) store.linkProcess(conn.agentProcess(), sid, now);
                if (!me.bound()) store.mergeInto(me.agentId(), sid);
                return moved;
            }
            if (!me.bound()) return bindings.bind(me, sid, BindingSource.CLAIM, now);
            Agent fresh = Agent.create(sid, sid, BindingSource.CLAIM, me.clientType(), me.projectRoot(), me.cwd(), conn.agentProcess(), now);
            fresh = fresh.withTerminal(me.terminal()).withClient(me.clientType(), me.clientName(), me.clientVersion());
            store.save(fresh);
            if (conn.agentProcess() != null && !conn.ownBinding()) store.linkProcess(conn.agentProcess(), sid, now);
            return fresh;
        });
        conn.fallbackAgentId(result.agentId());
        return result;
    }

    /** How the agent finds its own session id: "Check the id: run `echo $X` (Client) or ... in your own shell tool." */
    private String checkYourId() {
        return "Check the id: run " + String.join(" or ", clients.all().stream().map(AgentClient::sessionIdLookup)
                .flatMap(Optional::stream).toList()) + " in your own shell tool.";
    }

    /** {@code set_my_state}: purpose, name, readable; a name held by an offline agent is taken over. */
    StateChange setState(FrontConnection conn, String purpose, String name, Boolean readable) {
        String p = Validation.purpose(purpose);
        boolean clearName = name != null && name.isBlank();
        String n = clearName ? null : Validation.name(name);
        Instant now = clock.instant();
        return tx.inTransaction(() -> {
            Agent me = fronts.current(conn);
            String tookFrom = null;
            String newName = me.name();
            if (clearName) newName = null;
            if (n != null) {
                Optional<Agent> holder = store.findByName(me.projectRoot(), n);
                if (holder.isPresent() && !holder.get().agentId().equals(me.agentId())) {
                    Agent h = holder.get();
                    if (h.online()) {
                        throw new HuddleError("name-taken", "the name '" + n + "' is used by " + h.handle() + " ("
                                + h.clientType().wireName() + (h.purpose() == null ? "" : ", \"" + Validation.truncate(h.purpose(), 60) + "\"")
                                + ") in this project", "Pick another name; names are unique per project.");
                    }
                    if (!store.mayChange(h.agentId())) {
                        throw new HuddleError("name-taken", "the name '" + n + "' is held by " + h.handle() + ", an offline agent of"
                                + " another machine, which only that machine may rename", "Pick another name; names are unique per project.");
                    }
                    store.save(h.withState(h.purpose(), null, h.stateUpdatedAt()));
                    tookFrom = h.handle();
                }
                newName = n;
            }
            Agent updated = me.withState(p != null ? p : me.purpose(), newName, now);
            store.save(updated);
            if (readable != null) store.setReadable(me.agentId(), readable);
            return new StateChange(updated, tookFrom, store.readable(me.agentId()));
        });
    }
}
