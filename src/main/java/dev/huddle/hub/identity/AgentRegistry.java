package dev.huddle.hub.identity;

import dev.huddle.hub.reading.ReadSessions;
import dev.huddle.protocol.Hello;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.Handles;
import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.core.Validation;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The registry of agent sessions: binds fronts to agents automatically (see ARCHITECTURE.md, "Identity"),
 * keeps identity monotonic, tracks liveness, and answers who is in a project. All writes happen in transactions
 * on the hub's single database connection.
 */
public final class AgentRegistry {
    private static final Logger LOG = Logger.getLogger(AgentRegistry.class.getName());
    private static final Duration TOOL_CALL_STAMP_INTERVAL = Duration.ofSeconds(5);

    /** The outcome of a successful set_my_state; {@code readable}: whether peers may read the agent's session. */
    public record StateChange(Agent agent, String tookNameFrom, boolean readable) {}

    private final AgentStore store;
    private final Transactor tx;
    private final ProcessInspector processes;
    private final TerminalLocator terminals;
    private final ProjectLocator projects;
    private final Clock clock;
    private final OfflineAgents offline;
    private final Map<Integer, FrontConnection> fronts = new ConcurrentHashMap<>();
    /**
     * Agent processes known to host several sessions (Codex's shared {@code app-server} runs the threads of every
     * TUI with one CODEX_HOME): such a process proves none of its agents alive, their fronts do. Learned when a
     * second thread shows up on the process; forgotten when the process ends (or the hub restarts, until the next
     * second thread shows up).
     */
    private final java.util.Set<AgentProcess> sharedProcesses = ConcurrentHashMap.newKeySet();

    /** @param offline told of each agent the liveness checks take offline, after the change is stored */
    public AgentRegistry(AgentStore store, Transactor tx, ProcessInspector processes, TerminalLocator terminals,
                         ProjectLocator projects, OfflineAgents offline, Clock clock) {
        this.store = store;
        this.offline = offline;
        this.tx = tx;
        this.processes = processes;
        this.terminals = terminals;
        this.projects = projects;
        this.clock = clock;
    }

    public Path projectOf(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        try {
            p = p.toRealPath();
        } catch (IOException | SecurityException ignored) {
            // a cwd that vanished still names its project by its last known path
        }
        return projects.projectRoot(p);
    }

    /** A front said hello: find or create its agent and mark it online. */
    public FrontConnection attach(Hello hello) {
        Instant now = clock.instant();
        AgentProcess proc = agentProcessOf(hello);
        String cwd = hello.cwd() == null ? "/" : hello.cwd();
        String project = projectOf(cwd).toString();
        Map<String, String> env = hello.env();
        ClientType detected = ClientType.detect(null, env);
        String envSession = detected == ClientType.CLAUDE_CODE ? validOrNull(env.get("CLAUDE_CODE_SESSION_ID")) : null;
        // A process that runs several Codex threads gets one front per thread: a new front is another thread,
        // so it waits for its first threadId as an agent of its own instead of speaking for the process's agent.
        boolean ownAgent = proc != null && envSession == null && (isShared(proc) || hasThreadBoundFront(proc));

        Agent agent = tx.inTransaction(() -> {
            Optional<Agent> byProcess = proc == null || ownAgent ? Optional.empty()
                    : store.agentIdForProcess(proc).flatMap(store::find);
            Agent a;
            if (ownAgent) {
                String provisional = Handles.provisionalId(new AgentProcess(Math.max(1, hello.pid()), now.toEpochMilli()));
                a = Agent.create(provisional, null, BindingSource.UNBOUND, detected, project, cwd, proc, now);
            } else if (byProcess.isPresent()) {
                a = byProcess.get();
                if (!a.bound() && envSession != null) a = bind(a, envSession, BindingSource.ENV, now);
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
            Map<String, String> readEnv = new java.util.TreeMap<>();
            env.forEach((k, v) -> { if (ReadSessions.READ_ENV_KEYS.contains(k) && v != null) readEnv.put(k, v); });
            if (!readEnv.isEmpty()) store.setReadEnv(a.agentId(), readEnv); // to find its transcript after it exits
            return a;
        });
        FrontConnection conn = new FrontConnection(hello, proc, agent.agentId());
        if (ownAgent) conn.bindOwn(agent.agentId());
        fronts.put(conn.id(), conn);
        LOG.fine(() -> "front " + conn.id() + " attached to " + agent.agentId() + " (" + agent.binding().wireName() + ")");
        return conn;
    }

    /** Locates the agent's terminal (runs tmux; call off the hello path). */
    public void refreshTerminal(FrontConnection conn) {
        if (conn.agentProcess() == null) return;
        TerminalLocation where = terminals.locate(conn.agentProcess().pid(), conn.hello().env());
        tx.inTransaction(() -> {
            Agent a = current(conn);
            if (!where.equals(a.terminal())) store.save(a.withTerminal(where));
        });
    }

    public void detach(FrontConnection conn) {
        conn.markClosed();
        fronts.remove(conn.id());
        try {
            sweep(List.of(resolveId(conn)));
        } catch (RuntimeException e) {
            LOG.warning("liveness check after a front left failed: " + e.getMessage());
        }
    }

    public Collection<FrontConnection> fronts() {
        return fronts.values();
    }

    /** The agent this front speaks for, now. */
    public Agent current(FrontConnection conn) {
        String id = resolveId(conn);
        return store.find(id).orElseThrow(() -> new HuddleError("not-registered",
                "this session is not registered with the hub any more", "Restart the MCP server (huddle mcp)."));
    }

    private String resolveId(FrontConnection conn) {
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

    /** MCP initialize named the client: that is the most reliable client type we get. */
    public void clientInfo(FrontConnection conn, String name, String version) {
        conn.clientInfo(name, version);
        ClientType t = ClientType.detect(name, conn.hello().env());
        tx.inTransaction(() -> {
            Agent a = current(conn);
            store.save(a.withClient(t == ClientType.UNKNOWN ? a.clientType() : t, name, version));
        });
    }

    /**
     * Called on every tool call: the first Codex {@code _meta.threadId} a front names decides whose front it is
     * (binds an unbound agent, or moves this front alone to that thread's agent when its process's agent is another
     * thread: Codex runs the threads of all its TUIs in one {@code app-server}), then stamps activity. A front, once
     * bound to its thread, stays bound (identity is monotonic). Returns the caller's agent id.
     */
    public String onToolCall(FrontConnection conn, Map<String, Object> meta) {
        Instant now = clock.instant();
        String thread = meta != null && meta.get("threadId") instanceof String t ? validOrNull(t) : null;
        String[] leftBehind = new String[1];
        String id = tx.inTransaction(() -> {
            Agent a = current(conn);
            if (thread != null && (!conn.ownBinding() || !a.bound())) {
                if (!a.bound()) {
                    a = bind(a, thread, BindingSource.CODEX_META, now);
                } else if (!thread.equals(a.sessionId()) && a.binding() != BindingSource.CLAIM) {
                    leftBehind[0] = a.agentId();
                    a = threadAgent(conn, thread, a, now);
                    markShared(conn.agentProcess());
                    LOG.info("front " + conn.id() + " speaks for thread " + a.handle() + ", not " + Handles.handle(leftBehind[0])
                            + " (their agent process hosts several threads)");
                }
                conn.bindOwn(a.agentId());
            }
            if (a.lastToolCallAt() == null || Duration.between(a.lastToolCallAt(), now).compareTo(TOOL_CALL_STAMP_INTERVAL) > 0
                    || !a.online()) {
                a = a.calledTool(now);
                store.save(a);
            }
            return a.agentId();
        });
        if (leftBehind[0] != null) sweep(List.of(leftBehind[0])); // it may have lost its last front
        return id;
    }

    /** The agent of Codex thread {@code threadId} for this front: its row, else a new one, with the front's place. */
    private Agent threadAgent(FrontConnection conn, String threadId, Agent processAgent, Instant now) {
        String cwd = conn.hello().cwd() == null ? "/" : conn.hello().cwd();
        String project = projectOf(cwd).toString();
        ClientType type = ClientType.detect(conn.clientName(), conn.hello().env());
        if (type == ClientType.UNKNOWN) type = processAgent.clientType();
        Optional<Agent> existing = store.findBySessionId(threadId);
        Agent a = existing.isPresent() ? existing.get().seen(project, cwd, conn.agentProcess(), now)
                : Agent.create(threadId, threadId, BindingSource.CODEX_META, type, project, cwd, conn.agentProcess(), now);
        a = a.withClient(a.clientType() == ClientType.UNKNOWN ? type : a.clientType(),
                conn.clientName() != null ? conn.clientName() : a.clientName(),
                conn.clientVersion() != null ? conn.clientVersion() : a.clientVersion());
        store.save(a);
        return a;
    }

    /**
     * What a hook event did to the registry.
     *
     * @param agent           the agent the hook speaks for, after the event
     * @param movedFromAgentId set when the agent process moved to this session from another one (/clear, resume)
     */
    public record HookSeen(Agent agent, String movedFromAgentId) {}

    /**
     * A hook ran: find its agent by the hook's process ancestry and the payload's session id, bind or re-bind it
     * (a hook from the agent's own process is proof enough to follow {@code /clear} and resume), record the
     * transcript path and the activity the event implies. Writes only when something changed or the stamps are
     * older than a few seconds, so a hook in the usual case is two indexed reads.
     */
    public HookSeen hookEvent(ClientType client, String sessionId, String transcriptPath, String cwd, long pid,
                              Activity activity, boolean sessionEnded) {
        Instant now = clock.instant();
        AgentProcess proc = hookProcess(pid);
        return tx.inTransaction(() -> {
            Optional<Agent> byProcess = proc == null ? Optional.empty() : store.agentIdForProcess(proc).flatMap(store::find);
            Agent a;
            String movedFrom = null;
            if (byProcess.isPresent()) {
                a = byProcess.get();
                if (!a.bound()) {
                    a = bind(a, sessionId, BindingSource.HOOK, now);
                } else if (client == ClientType.CODEX && !sessionId.equals(a.sessionId()) && (isShared(proc) || hasFront(proc))) {
                    // Another thread of a Codex app-server that serves several: the session decides, the process
                    // stays with its agent (its other thread still runs).
                    a = codexThread(proc, sessionId, cwd, now);
                } else if (!sessionId.equals(a.sessionId()) && a.binding().mayBeReplacedBy(BindingSource.HOOK, true)) {
                    movedFrom = a.agentId();
                    a = rebind(a, sessionId, proc, now);
                }
            } else {
                Optional<Agent> bySession = store.findBySessionId(sessionId);
                if (bySession.isPresent()) {
                    a = bySession.get();
                    if (proc != null && !isShared(proc) && !hasLiveProcessOtherThan(a, proc)) store.linkProcess(proc, a.agentId(), now);
                } else {
                    String dir = cwd != null ? cwd : "/";
                    a = Agent.create(sessionId, sessionId, BindingSource.HOOK, client, projectOf(dir).toString(), dir, proc, now);
                    store.save(a);
                    if (proc != null) store.linkProcess(proc, a.agentId(), now);
                    LOG.info("agent " + a.handle() + " registered by its " + client.wireName() + " hook");
                }
            }
            Agent before = a;
            if (a.clientType() == ClientType.UNKNOWN) a = a.withClient(client, a.clientName(), a.clientVersion());
            boolean stale = a.hookAt() == null || Duration.between(a.hookAt(), now).compareTo(TOOL_CALL_STAMP_INTERVAL) > 0;
            if (stale || !a.online() || transcriptPath != null && !transcriptPath.equals(a.transcriptPath())) a = a.hooked(transcriptPath, now);
            if (sessionEnded) {
                a = a.wentOffline(now);
            } else if (activity != null && (activity != a.activity() || a.activityAt() == null
                    || Duration.between(a.activityAt(), now).compareTo(TOOL_CALL_STAMP_INTERVAL) > 0)) {
                a = a.withActivity(activity, now);
            }
            if (!a.equals(before) || movedFrom != null) store.save(a);
            return new HookSeen(a, movedFrom);
        });
    }

    /**
     * Codex session {@code sessionId} on an app-server process linked to another thread's agent: the session's own
     * row, else the one front of that process still waiting for its first thread (it takes the session), else a
     * new agent. None of them takes the process link.
     */
    private Agent codexThread(AgentProcess proc, String sessionId, String cwd, Instant now) {
        markShared(proc);
        Optional<Agent> bySession = store.findBySessionId(sessionId);
        if (bySession.isPresent()) return bySession.get();
        List<FrontConnection> waiting = new ArrayList<>();
        for (FrontConnection f : fronts.values()) {
            if (f.closed() || !f.ownBinding() || f.agentProcess() == null || !ProcessInspector.sameProcess(f.agentProcess(), proc)) continue;
            if (store.find(f.fallbackAgentId()).filter(x -> !x.bound()).isPresent()) waiting.add(f);
        }
        if (waiting.size() == 1) {
            FrontConnection f = waiting.getFirst();
            Agent bound = bind(store.find(f.fallbackAgentId()).orElseThrow(), sessionId, BindingSource.HOOK, now);
            f.bindOwn(bound.agentId());
            return bound;
        }
        String dir = cwd != null ? cwd : "/";
        Agent a = Agent.create(sessionId, sessionId, BindingSource.HOOK, ClientType.CODEX, projectOf(dir).toString(), dir, proc, now);
        store.save(a);
        LOG.info("agent " + a.handle() + " registered by its codex hook (an app-server that runs several threads)");
        return a;
    }

    /**
     * The agent process now runs another session (Claude Code /clear starts a new id; resume inside the TUI
     * switches to an old one). A new id renames the row, so messages, asks and name follow the agent the peers
     * know; an existing session row takes the process over and the old row goes offline.
     */
    private Agent rebind(Agent a, String sessionId, AgentProcess proc, Instant now) {
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
     * The agent process of a hook: the nearest of the hook shell's parent and its ancestors that hosts a known
     * agent, else the parent itself ($PPID in the hook command is the agent; a wrapper shell adds a level).
     */
    private AgentProcess hookProcess(long pid) {
        if (pid <= 1) return null;
        for (long p : processes.ancestry(pid, 4)) {
            if (p <= 1) break;
            Optional<AgentProcess> described = processes.describe(p);
            if (described.isPresent() && store.agentIdForProcess(described.get()).isPresent()) return described.get();
        }
        return processes.describe(pid).orElse(null);
    }

    /**
     * The agent whose process is {@code pid} or one of its nearest {@code depth} ancestors (a git hook under git under
     * an agent's shell tool), if any: who runs this command.
     */
    public Optional<Agent> agentOfProcessTree(long pid, int depth) {
        if (pid <= 1) return Optional.empty();
        for (long p : processes.ancestry(pid, depth)) {
            if (p <= 1) break;
            Optional<Agent> a = processes.describe(p).flatMap(store::agentIdForProcess).flatMap(store::find);
            if (a.isPresent()) return a;
        }
        return Optional.empty();
    }

    /** {@code claim_session}: explicit, so it overrides automatic detection. */
    public Agent claim(FrontConnection conn, String rawSessionId) {
        String sid = Validation.sessionId(rawSessionId);
        Instant now = clock.instant();
        Agent result = tx.inTransaction(() -> {
            Agent me = current(conn);
            if (sid.equals(me.sessionId())) {
                Agent same = me.withBinding(me.sessionId(), BindingSource.CLAIM);
                store.save(same);
                return same;
            }
            Optional<Agent> existing = store.findBySessionId(sid);
            if (existing.isPresent()) {
                Agent other = existing.get();
                if (other.online() && hasLiveProcessOtherThan(other, conn.agentProcess())) {
                    throw new HuddleError("session-in-use", "session " + sid + " belongs to another running agent process"
                            + (other.process() == null ? "" : " (pid " + other.process().pid() + ")"),
                            "Check the id: run `echo $CLAUDE_CODE_SESSION_ID` (Claude Code) or `echo $CODEX_THREAD_ID` (Codex) in your own shell tool.");
                }
                Agent moved = other.withBinding(sid, BindingSource.CLAIM).seen(me.projectRoot(), me.cwd(), conn.agentProcess(), now);
                moved = moved.withClient(me.clientType(), me.clientName(), me.clientVersion());
                store.save(moved);
                if (conn.agentProcess() != null && !conn.ownBinding()) store.linkProcess(conn.agentProcess(), sid, now);
                if (!me.bound()) store.mergeInto(me.agentId(), sid);
                return moved;
            }
            if (!me.bound()) return bind(me, sid, BindingSource.CLAIM, now);
            Agent fresh = Agent.create(sid, sid, BindingSource.CLAIM, me.clientType(), me.projectRoot(), me.cwd(), conn.agentProcess(), now);
            fresh = fresh.withTerminal(me.terminal()).withClient(me.clientType(), me.clientName(), me.clientVersion());
            store.save(fresh);
            if (conn.agentProcess() != null && !conn.ownBinding()) store.linkProcess(conn.agentProcess(), sid, now);
            return fresh;
        });
        conn.fallbackAgentId(result.agentId());
        return result;
    }

    /** {@code set_my_state}: purpose, name, readable; a name held by an offline agent is taken over. */
    public StateChange setState(FrontConnection conn, String purpose, String name, Boolean readable) {
        String p = Validation.purpose(purpose);
        boolean clearName = name != null && name.isBlank();
        String n = clearName ? null : Validation.name(name);
        Instant now = clock.instant();
        return tx.inTransaction(() -> {
            Agent me = current(conn);
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

    public List<Agent> inProject(String projectRoot, boolean includeOffline) {
        List<Agent> all = store.listProject(projectRoot, false);
        return includeOffline ? all : all.stream().filter(Agent::online).toList();
    }

    public Optional<Agent> find(String agentId) {
        return store.find(agentId);
    }

    public List<Agent> all(boolean includeRetired) {
        return store.listAll(includeRetired);
    }

    public int connectedFronts(String agentId) {
        return frontCounts().getOrDefault(agentId, 0);
    }

    /** Connected fronts per agent id, resolving each front once. */
    private Map<String, Integer> frontCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (FrontConnection f : fronts.values()) if (!f.closed()) counts.merge(resolveId(f), 1, Integer::sum);
        return counts;
    }

    /** Marks agents offline whose processes are gone and that have no front; retires long-offline ones. */
    public void sweep() {
        List<String> ids = new ArrayList<>();
        for (Agent a : store.listOnline()) ids.add(a.agentId());
        sweep(ids);
        sharedProcesses.removeIf(p -> !processes.isAlive(p));
        retireOld();
    }

    private void sweep(List<String> agentIds) {
        Instant now = clock.instant();
        Map<String, Integer> fronted = frontCounts();
        List<String> wentOffline = new ArrayList<>();
        for (String id : agentIds) {
            if (fronted.containsKey(id)) continue;
            tx.inTransaction(() -> store.find(id).ifPresent(a -> {
                if (!a.online()) return;
                boolean alive = false;
                for (AgentProcess p : store.processesOf(id)) {
                    if (isShared(p)) continue; // proves nothing about this one of its sessions
                    if (processes.isAlive(p)) {
                        alive = true;
                        break;
                    }
                }
                if (!alive) {
                    store.save(a.wentOffline(now));
                    wentOffline.add(id);
                    LOG.info("agent " + a.handle() + " is offline (process ended)");
                }
            }));
        }
        wentOffline.forEach(offline::wentOffline);
    }

    /** Whether a process with this pid runs now (a hook's {@code $PPID}: the agent process, when it still lives). */
    public boolean processRuns(long pid) {
        return processes.describe(pid).map(processes::isAlive).orElse(false);
    }

    private void retireOld() {
        Instant cutoff = clock.instant().minus(retireAfter);
        for (Agent a : store.listAll(false)) {
            if (!a.online() && a.offlineAt() != null && a.offlineAt().isBefore(cutoff)) {
                tx.inTransaction(() -> store.save(a.retired(clock.instant())));
                LOG.info("agent " + a.handle() + " retired after " + retireAfter);
            }
        }
    }

    private Duration retireAfter = Duration.ofHours(24);

    public void retireAfter(Duration d) {
        this.retireAfter = d;
    }

    // ---- binding helpers (run inside transactions) ----

    /** Gives a provisional agent its real session id; merges into an existing row of that id. */
    private Agent bind(Agent provisional, String sessionId, BindingSource source, Instant now) {
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

    private void markShared(AgentProcess proc) {
        if (proc != null && sharedProcesses.add(proc)) LOG.info("agent process " + proc.pid() + " hosts several sessions");
    }

    private boolean isShared(AgentProcess proc) {
        if (proc == null) return false;
        for (AgentProcess p : sharedProcesses) if (ProcessInspector.sameProcess(p, proc)) return true;
        return false;
    }

    /** Whether an open front of this process is bound to a thread of its own. */
    private boolean hasThreadBoundFront(AgentProcess proc) {
        for (FrontConnection f : fronts.values()) {
            if (!f.closed() && f.ownBinding() && f.agentProcess() != null && ProcessInspector.sameProcess(f.agentProcess(), proc)) return true;
        }
        return false;
    }

    private boolean hasFront(AgentProcess proc) {
        if (proc == null) return false;
        for (FrontConnection f : fronts.values()) {
            if (!f.closed() && f.agentProcess() != null && ProcessInspector.sameProcess(f.agentProcess(), proc)) return true;
        }
        return false;
    }

    private boolean hasLiveProcessOtherThan(Agent a, AgentProcess mine) {
        for (AgentProcess p : store.processesOf(a.agentId())) {
            if (mine != null && ProcessInspector.sameProcess(p, mine)) continue;
            if (processes.isAlive(p)) return true;
        }
        return false;
    }

    private AgentProcess agentProcessOf(Hello hello) {
        if (hello.ppid() == null || hello.ppid() <= 1) return null;
        // Trust our own reading of the start time; the hello's value is the fallback (e.g. process already gone).
        return processes.describe(hello.ppid())
                .filter(p -> hello.ppidStartMs() == null || Math.abs(p.startMillis() - hello.ppidStartMs()) < 2_000)
                .orElse(hello.ppidStartMs() == null ? null : new AgentProcess(hello.ppid(), hello.ppidStartMs()));
    }

    private static String validOrNull(String sessionId) {
        try {
            return sessionId == null ? null : Validation.sessionId(sessionId);
        } catch (HuddleError e) {
            return null;
        }
    }
}
