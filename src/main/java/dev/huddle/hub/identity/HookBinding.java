package dev.huddle.hub.identity;

import dev.huddle.agents.AgentClient;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;
import dev.huddle.terminal.ProcessInspector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Binds agents by their hooks: a hook's process ancestry finds its agent, the payload's session id binds or re-binds
 * it (a hook from the agent's own process is proof enough to follow {@code /clear} and resume), and the event
 * records the transcript path and the activity it implies.
 */
final class HookBinding {
    private static final Logger LOG = Logger.getLogger(HookBinding.class.getName());
    private final AgentStore store;
    private final Transactor tx;
    private final ProcessInspector processes;
    private final Projects projects;
    private final Clock clock;
    private final Fronts fronts;
    private final SharedProcesses shared;
    private final Bindings bindings;
    /** Levels of a hook's lineage searched for its agent: curl, a subshell, the hook's shell, a wrapper, the agent. */
    static final int HOOK_DEPTH = 6;

    HookBinding(AgentStore store, Transactor tx, ProcessInspector processes, Projects projects, Clock clock, Fronts fronts,
                SharedProcesses shared, Bindings bindings) {
        this.store = store;
        this.tx = tx;
        this.processes = processes;
        this.projects = projects;
        this.clock = clock;
        this.fronts = fronts;
        this.shared = shared;
        this.bindings = bindings;
    }

    /**
     * A hook ran: find its agent by the hook's process ancestry and the payload's session id, bind or re-bind it,
     * record the transcript path and the activity the event implies. Writes only when something changed or the
     * stamps are older than a few seconds, so a hook in the usual case is two indexed reads. A reported transcript
     * path that differs from the agent's is recorded only if {@code vetting} passes it.
     */
    HookSeen hookEvent(AgentClient client, String sessionId, String reportedTranscript, TranscriptVetting vetting, String cwd,
                       Caller caller, Activity activity, boolean sessionEnded) {
        Instant now = clock.instant();
        List<Long> lineage = caller.fromNamed();
        // the nearest process read from /proc before the transaction, not under the write lock: in the usual case it is the agent's
        Optional<AgentProcess> nearest = lineage.isEmpty() || lineage.getFirst() <= 1 ? Optional.empty() : processes.describe(lineage.getFirst());
        return tx.inTransaction(() -> {
            HookProcess found = hookProcess(caller, nearest);
            AgentProcess proc = found.process();
            Optional<Agent> byProcess = found.agent();
            Agent a;
            String movedFrom = null;
            if (byProcess.isPresent()) {
                a = byProcess.get();
                if (!a.bound()) {
                    bindings.ensureFree(sessionId, proc);
                    a = bindings.bind(a, sessionId, BindingSource.HOOK, now);
                } else if (client.hostsSeveralSessions() && !sessionId.equals(a.sessionId()) && (shared.contains(proc) || fronts.anyOf(proc))) {
                    // Another session of a process that serves several: the session decides, the process stays with
                    // its agent (its other session still runs).
                    a = sessionOnSharedProcess(client, proc, sessionId, cwd, now);
                } else if (!sessionId.equals(a.sessionId()) && a.binding().mayBeReplacedBy(BindingSource.HOOK, true)) {
                    // /clear or resume inside the agent's process; never into a session another process runs
                    bindings.ensureFree(sessionId, proc);
                    movedFrom = a.agentId();
                    a = bindings.rebind(a, sessionId, proc, now);
                }
            } else {
                Optional<Agent> bySession = store.findBySessionId(sessionId);
                if (bySession.isPresent()) {
                    // A hook from outside the processes that run this session acts for it only once none runs it.
                    bindings.ensureFree(sessionId, proc);
                    a = bySession.get();
                    if (proc != null && !shared.contains(proc)) store.linkProcess(proc, a.agentId(), now);
                } else {
                    a = create(client, sessionId, cwd, proc, now);
                    if (proc != null) store.linkProcess(proc, a.agentId(), now);
                    LOG.info("agent " + a.handle() + " registered by its " + client.type().wireName() + " hook");
                }
            }
            Agent before = a;
            String transcriptPath = reportedTranscript == null || reportedTranscript.equals(a.transcriptPath())
                    ? reportedTranscript : vetting.vetted(a, reportedTranscript);
            if (a.clientType() == ClientType.UNKNOWN) a = a.withClient(client.type(), a.clientName(), a.clientVersion());
            boolean stale = a.hookAt() == null || Duration.between(a.hookAt(), now).compareTo(FrontBinding.TOOL_CALL_STAMP_INTERVAL) > 0;
            if (stale || !a.online() || transcriptPath != null && !transcriptPath.equals(a.transcriptPath())) a = a.hooked(transcriptPath, now);
            if (sessionEnded) {
                a = a.wentOffline(now);
            } else if (activity != null && (activity != a.activity() || a.activityAt() == null
                    || Duration.between(a.activityAt(), now).compareTo(FrontBinding.TOOL_CALL_STAMP_INTERVAL) > 0)) {
                a = a.withActivity(activity, now);
            }
            if (!a.equals(before) || movedFrom != null) store.save(a);
            return new HookSeen(a, movedFrom);
        });
    }

    /**
     * Session {@code sessionId} on a process that hosts several, linked to another session's agent: the session's own
     * row, else the one front of that process still waiting for its first session (it takes the session), else a new
     * agent. None of them takes the process link.
     */
    private Agent sessionOnSharedProcess(AgentClient client, AgentProcess proc, String sessionId, String cwd, Instant now) {
        bindings.ensureFree(sessionId, proc);
        shared.mark(proc);
        Optional<Agent> bySession = store.findBySessionId(sessionId);
        if (bySession.isPresent()) return bySession.get();
        List<FrontConnection> waiting = fronts.waitingForASession(proc);
        if (waiting.size() == 1) {
            FrontConnection f = waiting.getFirst();
            Agent bound = bindings.bind(store.find(f.fallbackAgentId()).orElseThrow(), sessionId, BindingSource.HOOK, now);
            f.bindOwn(bound.agentId());
            return bound;
        }
        Agent a = create(client, sessionId, cwd, proc, now);
        LOG.info("agent " + a.handle() + " registered by its " + client.type().wireName() + " hook (a process that runs several sessions)");
        return a;
    }

    private Agent create(AgentClient client, String sessionId, String cwd, AgentProcess proc, Instant now) {
        String dir = cwd != null ? cwd : "/";
        Agent a = Agent.create(sessionId, sessionId, BindingSource.HOOK, client.type(), projects.ofCwd(dir), dir, proc, now);
        store.save(a);
        return a;
    }

    /** A hook's agent process, and the agent linked to it (read with it, in the hook's transaction). */
    private record HookProcess(AgentProcess process, Optional<Agent> agent) {}

    /**
     * The agent process of a hook: the nearest process of the caller's proven lineage, from the pid it named (the hook's
     * {@code $PPID}) up to {@link #HOOK_DEPTH} levels, that hosts a known agent, with that agent; else the named process
     * itself (the agent, whose first hook this is) and none. No process for an unproven caller, or one that named no
     * process and hosts no agent. In the usual case (the named process is the agent's) two indexed reads, in the hook's
     * transaction (they were three, two of them before it); {@code nearest} is the lineage's first process, read before.
     */
    private HookProcess hookProcess(Caller caller, Optional<AgentProcess> nearest) {
        List<Long> lineage = caller.fromNamed();
        AgentProcess named = null;
        for (int i = 0; i < Math.min(HOOK_DEPTH, lineage.size()); i++) {
            long p = lineage.get(i);
            if (p <= 1) break;
            Optional<AgentProcess> described = i == 0 ? nearest : processes.describe(p);
            if (described.isEmpty()) continue;
            if (p == caller.named()) named = described.get();
            Optional<String> linked = store.agentIdForProcess(described.get()); // one column: cheaper than the joined row
            if (linked.isPresent()) return new HookProcess(described.get(), linked.flatMap(store::find));
        }
        if (named == null && caller.named() > 1) named = processes.describe(caller.named()).orElse(null);
        return new HookProcess(named, Optional.empty());
    }

    /**
     * The agent whose process is the caller (from the pid it named) or one of its nearest {@code depth} ancestors (a git
     * hook under git under an agent's shell tool), if any: for whom this command acts. None for an unproven caller.
     */
    Optional<Agent> agentOf(Caller caller, int depth) {
        return agentProcessOf(caller, depth).flatMap(store::agentIdForProcess).flatMap(store::find);
    }

    /** Whether the nearest agent process of the caller's lineage hosts several sessions: then it names none of them. */
    boolean insideSharedProcess(Caller caller, int depth) {
        return agentProcessOf(caller, depth).filter(shared::contains).isPresent();
    }

    private Optional<AgentProcess> agentProcessOf(Caller caller, int depth) {
        List<Long> lineage = caller.fromNamed();
        for (long p : lineage.subList(0, Math.min(depth, lineage.size()))) {
            if (p <= 1) break;
            Optional<AgentProcess> described = processes.describe(p);
            if (described.isPresent() && store.agentIdForProcess(described.get()).isPresent()) return described;
        }
        return Optional.empty();
    }
}
