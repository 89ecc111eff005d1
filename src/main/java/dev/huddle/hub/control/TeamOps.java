package dev.huddle.hub.control;

import dev.huddle.core.identity.HubHeartbeat;
import dev.huddle.protocol.control.Team;
import dev.huddle.store.HubBeats;
import dev.huddle.store.MachineHub;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code team_status}: the machines whose hubs share the store, as their heartbeats and agents' rows tell them. */
public final class TeamOps {
    private final HubBeats beats;
    private final String store;
    private final String machine;

    /**
     * @param beats   the hubs' heartbeats, or null on a machine's own store
     * @param store   where the data is (the URL without a password, or the file)
     * @param machine this hub's machine on a shared store, else null
     */
    public TeamOps(HubBeats beats, String store, String machine) {
        this.beats = beats;
        this.store = store;
        this.machine = machine;
    }

    Team status() {
        long silentAfter = HubHeartbeat.SILENT_AFTER.toSeconds();
        if (beats == null) {
            return new Team(false, store, null, silentAfter, List.of(), "this hub keeps its data in this machine's own database (" + store
                    + "), so there is no team: to share one PostgreSQL database with the hubs of other machines, run"
                    + " `huddle team join postgresql://user@host:5432/db` (docs/team.md)");
        }
        List<Team.Machine> out = new ArrayList<>();
        for (MachineHub m : beats.machines()) {
            HubHeartbeat h = m.heartbeat();
            Duration age = h.age();
            out.add(new Team.Machine(m.machine(), m.machine().equals(machine), m.version(), m.pid() == 0 ? null : m.pid(),
                    iso(m.startedAt()), iso(h.lastHeartbeat()), age == null ? null : age.toMillis(), h.silent(), h.reason(),
                    m.rttMs(), m.skewMs(), m.notifyLagUs(), h.silent() ? 0 : m.agentsOnline(), m.agents()));
        }
        return new Team(true, store, machine, silentAfter, out, null);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
