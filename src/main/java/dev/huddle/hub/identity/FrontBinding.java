package dev.huddle.hub.identity;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.Handles;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.protocol.Hello;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Binds fronts to agents (ARCHITECTURE.md, "Identity"): a hello finds or creates the agent of the front's process,
 * MCP {@code initialize} names the client, and a tool call's {@code _meta} may name the session, which decides whose
 * front it is on a process that hosts several sessions.
 */
final class FrontBinding {
    private static final Logger LOG = Logger.getLogger(FrontBinding.class.getName());
    static final Duration TOOL_CALL_STAMP_INTERVAL = Duration.ofSeconds(5);

    private final AgentStore store;
    private final Transactor tx;
    private final ProcessInspector processes;
    private final TerminalLocator terminals;
    private final Projects projects;
    private final Clock clock;
    private final AgentClients clients;
    private final Fronts fronts;
    private final SharedProcesses shared;
    private final Bindings bindings;
    private final Liveness liveness;

    FrontBinding(AgentStore store, Transactor tx, ProcessInspector processes, TerminalLocator terminals, Projects projects, Clock clock,
                 AgentClients clients, Fronts fronts, SharedProcesses shared, Bindings bindings, Liveness liveness) {
        this.store = store;
        this.tx = tx;
        this.processes = processes;
        this.terminals = terminals;
        this.projects = projects;
        this.clock = clock;
        this.clients = clients;
        this.fronts = fronts;
        this.shared = shared;
        this.bindings = bindings;
        this.liveness = liveness;
    }

    /**
     * A front said hello: find or create its agent and mark it online. Its agent process is the caller's parent, read
     * by the hub; a session its environment names is taken only when no other running process holds it.
     *
     * @throws HuddleError {@code forbidden} when the hello names a parent that is not the caller's
     */
    FrontConnection attach(Hello hello, Caller caller) {
        Instant now = clock.instant();
        AgentProcess proc = agentProcessOf(hello, caller);
        String cwd = hello.cwd() == null ? "/" : hello.cwd();
        String project = projects.ofCwd(cwd);
        Map<String, String> env = hello.env();
        ClientType detected = clients.detect(null, env);
        String named = clients.of(detected).flatMap(c -> c.sessionFromEnv(env)).map(FrontBinding::validOrNull).orElse(null);
        String envSession = named == null || free(named, proc) ? named : null;
        // A process that hosts several sessions gets one front per session: a new front is another session, so it
        // waits for its own session id as an agent of its own instead of speaking for the process's agent.
        boolean ownAgent = proc != null && envSession == null && (shared.contains(proc) || fronts.anyBoundOnItsOwn(proc));

        Agent agent = tx.inTransaction(() -> {
            Optional<Agent> byProcess = proc == null || ownAgent ? Optional.empty()
                    : store.agentIdForProcess(proc).flatMap(store::find);
            Agent a;
            if (ownAgent) {
                String provisional = Handles.provisionalId(new AgentProcess(Math.max(1, hello.pid()), now.toEpochMilli()));
                a = Agent.create(provisional, null, BindingSource.UNBOUND, detected, project, cwd, proc, now);
            } else if (byProcess.isPresent()) {
                a = byProcess.get();
                if (!a.bound() && envSession != null) a = bindings.bind(a, envSession, BindingSource.ENV, now);
            } else if (envSession != null) {
                a = store.findBySessionId(envSession).orElse(null);
                if (a == null) a = Agent.create(envSession, envSession, BindingSource.ENV, detected, project, cwd, proc, now);
            } else {
                String provisional = Handles.provisionalId(proc != null ? proc : new AgentProcess(Math.max(1, hello.pid()), now.toEpochMilli()));
                a = store.find(provisional).orElse(null);
                if (a == null) a = Agent.create(provisional, null, BindingSource.UNBOUND, detected, project, cwd, proc, now);
            }
            a = a.seen(project, cwd, proc, now);
            if (a.clientType() == ClientType.UNKNOWN && detected != ClientType.UNKNOWN) a = a.withClient(detected, a.clientName(), a.clientVersion());
            store.save(a);
            if (proc != null && !ownAgent) store.linkProcess(proc, a.agentId(), now);
            Map<String, String> kept = new TreeMap<>(AgentEnv.kept(env));
            if (!kept.isEmpty()) store.setReadEnv(a.agentId(), kept); // to find its transcript after it exits
            return a;
        });
        FrontConnection conn = new FrontConnection(hello, proc, agent.agentId());
        if (ownAgent) conn.bindOwn(agent.agentId());
        fronts.add(conn);
        LOG.fine(() -> "front " + conn.id() + " attached to " + agent.agentId() + " (" + agent.binding().wireName() + ")");
        return conn;
    }

    /** Locates the agent's terminal (runs tmux; call off the hello path). */
    void refreshTerminal(FrontConnection conn) {
        if (conn.agentProcess() == null) return;
        TerminalLocation where = terminals.locate(conn.agentProcess().pid(), conn.hello().env());
        tx.inTransaction(() -> {
            Agent a = fronts.current(conn);
            if (!where.equals(a.terminal())) store.save(a.withTerminal(where));
        });
    }

    void detach(FrontConnection conn) {
        conn.markClosed();
        fronts.remove(conn);
        liveness.frontLeft(conn);
    }

    /** MCP initialize named the client: that is the most reliable client type we get. */
    void clientInfo(FrontConnection conn, String name, String version) {
        conn.clientInfo(name, version);
        ClientType t = clients.detect(name, conn.hello().env());
        tx.inTransaction(() -> {
            Agent a = fronts.current(conn);
            store.save(a.withClient(t == ClientType.UNKNOWN ? a.clientType() : t, name, version));
        });
    }

    /**
     * Called on every tool call: the first session id a front's tool calls name ({@link AgentClient#sessionFromToolMeta})
     * decides whose front it is (binds an unbound agent, or moves this front alone to that session's agent when its
     * process's agent is another session: a process that hosts several sessions), then stamps activity. A front, once
     * bound to its session, stays bound (identity is monotonic). Returns the caller's agent as this call leaves it.
     */
    Agent onToolCall(FrontConnection conn, Map<String, Object> meta) {
        Instant now = clock.instant();
        String session = clients.sessionFromToolMeta(meta).map(FrontBinding::validOrNull).orElse(null);
        // Most calls write nothing (bound already, stamped within the interval): a plain read answers them, without
        // the transaction, which on a shared store takes the lock all hubs share and costs three more round trips.
        Agent seen = fronts.current(conn);
        if (!bindsOnCall(seen, session, conn) && !stampDue(seen, now)) return seen;
        String[] leftBehind = new String[1];
        Agent caller = tx.inTransaction(() -> {
            Agent a = fronts.current(conn);
            if (bindsOnCall(a, session, conn) && !session.equals(a.sessionId()) && !free(session, conn.agentProcess())) {
                LOG.warning("front " + conn.id() + " of " + a.handle() + " named session " + session + " in a tool call, which another process runs: ignored");
            } else if (bindsOnCall(a, session, conn)) {
                if (!a.bound()) {
                    a = bindings.bind(a, session, BindingSource.TOOL_META, now);
                } else if (!session.equals(a.sessionId()) && a.binding() != BindingSource.CLAIM) {
                    leftBehind[0] = a.agentId();
                    a = sessionAgent(conn, session, a, now);
                    shared.mark(conn.agentProcess());
                    LOG.info("front " + conn.id() + " speaks for session " + a.handle() + ", not " + Handles.handle(leftBehind[0])
                            + " (their agent process hosts several sessions)");
                }
                conn.bindOwn(a.agentId());
            }
            if (stampDue(a, now)) {
                a = a.calledTool(now);
                store.save(a);
            }
            return a;
        });
        if (leftBehind[0] != null) liveness.check(List.of(leftBehind[0])); // it may have lost its last front
        return caller;
    }

    /** Whether a call naming {@code session} may bind its front (or its unbound agent) to that session. */
    private static boolean bindsOnCall(Agent a, String session, FrontConnection conn) {
        return session != null && (!conn.ownBinding() || !a.bound());
    }

    /** Whether the agent's tool-call stamp is due (it also brings an offline agent back online). */
    private static boolean stampDue(Agent a, Instant now) {
        return a.lastToolCallAt() == null || Duration.between(a.lastToolCallAt(), now).compareTo(TOOL_CALL_STAMP_INTERVAL) > 0
                || !a.online();
    }

    /** The agent of session {@code sessionId} for this front: its row, else a new one, with the front's place. */
    private Agent sessionAgent(FrontConnection conn, String sessionId, Agent processAgent, Instant now) {
        String cwd = conn.hello().cwd() == null ? "/" : conn.hello().cwd();
        String project = projects.ofCwd(cwd);
        ClientType type = clients.detect(conn.clientName(), conn.hello().env());
        if (type == ClientType.UNKNOWN) type = processAgent.clientType();
        Optional<Agent> existing = store.findBySessionId(sessionId);
        Agent a = existing.isPresent() ? existing.get().seen(project, cwd, conn.agentProcess(), now)
                : Agent.create(sessionId, sessionId, BindingSource.TOOL_META, type, project, cwd, conn.agentProcess(), now);
        a = a.withClient(a.clientType() == ClientType.UNKNOWN ? type : a.clientType(),
                conn.clientName() != null ? conn.clientName() : a.clientName(),
                conn.clientVersion() != null ? conn.clientVersion() : a.clientVersion());
        store.save(a);
        return a;
    }

    /**
     * The front's agent process: its parent, as the hub reads it for the proven caller (the hello's {@code ppid} may only
     * repeat it). None for an unproven caller: its agent then gets no process link, and takes no running session.
     */
    private AgentProcess agentProcessOf(Hello hello, Caller caller) {
        if (!caller.proven()) {
            LOG.fine(() -> "front hello from an unproven caller (" + caller.unproven() + "): no agent process");
            return null;
        }
        if (hello.ppid() != null && hello.ppid() != caller.parent()) {
            throw new HuddleError("forbidden", "the hello names parent pid " + hello.ppid() + ", but the calling process (pid "
                    + caller.pid() + ") has parent " + caller.parent(), "huddle mcp is started by its agent client, and says so itself.");
        }
        return caller.parent() <= 1 ? null : processes.describe(caller.parent()).orElse(null);
    }

    /** Whether no running process other than {@code mine} holds session {@code sessionId}: a caller may take it. */
    private boolean free(String sessionId, AgentProcess mine) {
        try {
            bindings.ensureFree(sessionId, mine);
            return true;
        } catch (HuddleError inUse) {
            LOG.warning(inUse.getMessage());
            return false;
        }
    }

    /** A session id as given, or null when it is not one. */
    static String validOrNull(String sessionId) {
        try {
            return sessionId == null ? null : Validation.sessionId(sessionId);
        } catch (HuddleError e) {
            return null;
        }
    }
}
