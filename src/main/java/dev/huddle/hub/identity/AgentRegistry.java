package dev.huddle.hub.identity;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.protocol.Hello;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of agent sessions, the hub's one door to identity (see ARCHITECTURE.md, "Identity"): binds fronts
 * ({@link FrontBinding}) and hooks ({@link HookBinding}) to agents automatically, takes explicit claims
 * ({@link StatedIdentity}), keeps identity monotonic ({@link Bindings}), tracks liveness ({@link Liveness}), and answers
 * who is in a project. What differs per client comes from {@link AgentClients}. All writes happen in transactions on
 * the hub's single database connection.
 */
public final class AgentRegistry {
    private final AgentStore store;
    private final Projects projects;
    private final Fronts fronts;
    private final Liveness liveness;
    private final FrontBinding frontBinding;
    private final HookBinding hookBinding;
    private final StatedIdentity claims;

    /**
     * @param retireAfter how long an offline agent stays listed
     * @param offline     told of each agent the liveness checks take offline
     */
    public AgentRegistry(AgentStore store, Transactor tx, ProcessInspector processes, TerminalLocator terminals, ProjectLocator projects,
                         Clock clock, AgentClients clients, Duration retireAfter, OfflineListeners offline) {
        this(store, tx, processes, terminals, projects, false, clock, clients, retireAfter, offline);
    }

    /** @param sharedStore whether the store is shared by several machines' hubs: projects are then keyed by their names across machines */
    public AgentRegistry(AgentStore store, Transactor tx, ProcessInspector processes, TerminalLocator terminals, ProjectLocator projects,
                         boolean sharedStore, Clock clock, AgentClients clients, Duration retireAfter, OfflineListeners offline) {
        this.store = store;
        this.projects = new Projects(projects, sharedStore);
        this.fronts = new Fronts(store);
        SharedProcesses shared = new SharedProcesses();
        Bindings bindings = new Bindings(store, processes, fronts);
        this.liveness = new Liveness(store, tx, processes, clock, fronts, shared, retireAfter, offline);
        this.frontBinding = new FrontBinding(store, tx, processes, terminals, this.projects, clock, clients, fronts, shared, bindings, liveness);
        this.hookBinding = new HookBinding(store, tx, processes, this.projects, clock, fronts, shared, bindings);
        this.claims = new StatedIdentity(store, tx, clock, clients, fronts, bindings);
    }

    /** The project key of a directory ({@link Projects}): what agents, messages and claims of that project carry. */
    public String projectOf(String dir) {
        return projects.key(dir);
    }

    /** Where the project of a directory lives on this machine. */
    public Path localRootOf(String dir) {
        return projects.localRoot(dir);
    }

    /** Where an agent's project lives on this machine (for a local agent: the files its edits name are below it). */
    public Path localRoot(Agent a) {
        return projects.localRoot(a);
    }

    /** A front said hello, over a connection from {@code caller}: find or create its agent and mark it online. */
    public FrontConnection attach(Hello hello, Caller caller) {
        return frontBinding.attach(hello, caller);
    }

    /** Locates the agent's terminal (runs tmux; call off the hello path). */
    public void refreshTerminal(FrontConnection conn) {
        frontBinding.refreshTerminal(conn);
    }

    public void detach(FrontConnection conn) {
        frontBinding.detach(conn);
    }

    public Collection<FrontConnection> fronts() {
        return fronts.all();
    }

    /** The agent this front speaks for, now. */
    public Agent current(FrontConnection conn) {
        return fronts.current(conn);
    }

    /** MCP initialize named the client: that is the most reliable client type we get. */
    public void clientInfo(FrontConnection conn, String name, String version) {
        frontBinding.clientInfo(conn, name, version);
    }

    /** Called on every tool call (see {@link FrontBinding#onToolCall}); returns the caller's agent. */
    public Agent onToolCall(FrontConnection conn, Map<String, Object> meta) {
        return frontBinding.onToolCall(conn, meta);
    }

    /** A hook of {@code client} ran, called by {@code caller} (see {@link HookBinding#hookEvent}). */
    public HookSeen hookEvent(AgentClient client, String sessionId, String reportedTranscript, TranscriptVetting vetting, String cwd,
                              Caller caller, Activity activity, boolean sessionEnded) {
        return hookBinding.hookEvent(client, sessionId, reportedTranscript, vetting, cwd, caller, activity, sessionEnded);
    }

    /** The agent whose process is the caller or one of its nearest {@code depth} ancestors: for whom this command acts. */
    public Optional<Agent> agentOf(Caller caller, int depth) {
        return hookBinding.agentOf(caller, depth);
    }

    /** Whether the agent process the caller runs under hosts several sessions, so that it names none of them. */
    public boolean insideSharedProcess(Caller caller, int depth) {
        return hookBinding.insideSharedProcess(caller, depth);
    }

    /** {@code claim_session}: explicit, so it overrides automatic detection. */
    public Agent claim(FrontConnection conn, String rawSessionId) {
        return claims.claim(conn, rawSessionId);
    }

    /** {@code set_my_state}: purpose, name, readable; a name held by an offline agent is taken over. */
    public StateChange setState(FrontConnection conn, String purpose, String name, Boolean readable) {
        return claims.setState(conn, purpose, name, readable);
    }

    public List<Agent> inProject(String projectRoot, boolean includeOffline) {
        List<Agent> all = store.listProject(projectRoot, false);
        return includeOffline ? all : all.stream().filter(Agent::online).toList();
    }

    public Optional<Agent> find(String agentId) {
        return store.find(agentId);
    }

    /** What the agent's front last reported of the variables huddle keeps (AgentEnv: its tmux server, its client's homes). */
    public Map<String, String> keptEnv(String agentId) {
        return store.readEnv(agentId);
    }

    /** The machine that owns the agent when it is not this hub's (a shared store): its hub wakes and reads it. */
    public Optional<String> otherMachine(String agentId) {
        return store.otherMachine(agentId);
    }

    public List<Agent> all(boolean includeRetired) {
        return store.listAll(includeRetired);
    }

    public int connectedFronts(String agentId) {
        return fronts.counts().getOrDefault(agentId, 0);
    }

    /** Marks agents offline whose processes are gone and that have no front; retires long-offline ones. */
    public void sweep() {
        liveness.sweep();
    }

    /** The pid of the process session {@code sessionId} is bound to, if any: whom a TCP hook for it is checked against first. */
    public java.util.OptionalLong processOfSession(String sessionId) {
        if (sessionId == null) return java.util.OptionalLong.empty();
        return store.findBySessionId(sessionId).map(Agent::process).filter(java.util.Objects::nonNull)
                .map(p -> java.util.OptionalLong.of(p.pid())).orElse(java.util.OptionalLong.empty());
    }

    /** Whether a process with this pid runs now (a hook's {@code $PPID}: the agent process, when it still lives). */
    public boolean processRuns(long pid) {
        return liveness.processRuns(pid);
    }
}
