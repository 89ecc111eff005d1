package dev.huddle.hub.identity;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.terminal.ProcessInspector;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Agent processes known to host several sessions (a client whose one process runs the sessions of several TUIs,
 * each with its own front): such a process proves none of its agents alive, their fronts do. Learned when a second
 * session shows up on the process; forgotten when the process ends (or the hub restarts, until the next second
 * session shows up).
 */
final class SharedProcesses {
    private static final Logger LOG = Logger.getLogger(SharedProcesses.class.getName());
    private final Set<AgentProcess> shared = ConcurrentHashMap.newKeySet();

    void mark(AgentProcess proc) {
        if (proc != null && shared.add(proc)) LOG.info("agent process " + proc.pid() + " hosts several sessions");
    }

    boolean contains(AgentProcess proc) {
        if (proc == null) return false;
        for (AgentProcess p : shared) if (ProcessInspector.sameProcess(p, proc)) return true;
        return false;
    }

    void forgetEnded(ProcessInspector processes) {
        shared.removeIf(p -> !processes.isAlive(p));
    }
}
