package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;
import dev.huddle.terminal.ProcessInspector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Which agents are online: one is while a front is connected or one of its processes (pid + start time) runs; a
 * process known to host several sessions proves none of them alive. Offline agents keep everything; after
 * {@code retireAfter} they are retired (hidden, their name released, nothing deleted).
 */
final class Liveness {
    private static final Logger LOG = Logger.getLogger(Liveness.class.getName());
    private final AgentStore store;
    private final Transactor tx;
    private final ProcessInspector processes;
    private final Clock clock;
    private final Fronts fronts;
    private final SharedProcesses shared;
    private final Duration retireAfter;
    private final OfflineListeners offline;

    Liveness(AgentStore store, Transactor tx, ProcessInspector processes, Clock clock, Fronts fronts, SharedProcesses shared,
             Duration retireAfter, OfflineListeners offline) {
        this.store = store;
        this.tx = tx;
        this.processes = processes;
        this.clock = clock;
        this.fronts = fronts;
        this.shared = shared;
        this.retireAfter = retireAfter;
        this.offline = offline;
    }

    /** Marks agents offline whose processes are gone and that have no front; retires long-offline ones. */
    void sweep() {
        List<String> ids = new ArrayList<>();
        for (Agent a : store.listOnline()) ids.add(a.agentId());
        check(ids);
        shared.forgetEnded(processes);
        retireOld();
    }

    /** Takes these agents offline if nothing keeps them online, then tells the listeners. */
    void check(List<String> agentIds) {
        Instant now = clock.instant();
        Map<String, Integer> fronted = fronts.counts();
        List<String> wentOffline = new ArrayList<>();
        for (String id : agentIds) {
            if (fronted.containsKey(id)) continue;
            tx.inTransaction(() -> store.find(id).ifPresent(a -> {
                if (!a.online()) return;
                boolean alive = false;
                for (AgentProcess p : store.processesOf(id)) {
                    if (shared.contains(p)) continue; // proves nothing about this one of its sessions
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

    /** A front left: its agent may have lost its last sign of life. */
    void frontLeft(FrontConnection conn) {
        try {
            check(List.of(fronts.resolveId(conn)));
        } catch (RuntimeException e) {
            LOG.warning("liveness check after a front left failed: " + e.getMessage());
        }
    }

    /** Whether a process with this pid runs now (a hook's {@code $PPID}: the agent process, when it still lives). */
    boolean processRuns(long pid) {
        return processes.describe(pid).map(processes::isAlive).orElse(false);
    }

    private void retireOld() {
        Instant cutoff = clock.instant().minus(retireAfter);
        for (Agent a : store.listAll(false)) {
            // another machine's agent is its own hub's to retire where this machine's database role may not change it
            if (!a.online() && a.offlineAt() != null && a.offlineAt().isBefore(cutoff) && store.mayChange(a.agentId())) {
                tx.inTransaction(() -> store.save(a.retired(clock.instant())));
                LOG.info("agent " + a.handle() + " retired after " + retireAfter);
            }
        }
    }
}
