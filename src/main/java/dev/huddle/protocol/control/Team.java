package dev.huddle.protocol.control;

import java.util.List;

/**
 * The reply to {@code team_status} ({@code huddle team status}): the machines whose hubs share this hub's store.
 *
 * @param shared   whether the store is shared (PostgreSQL); false for a machine's own SQLite file (no machines then)
 * @param store    where the data is: the store URL (never a password) or the file
 * @param machine  this hub's machine; absent on a machine's own store
 * @param silentAfterS how old a last heartbeat may be before that machine's agents are shown offline
 * @param next     on a machine's own store, how to join a team
 */
public record Team(boolean shared, String store, String machine, long silentAfterS, List<Machine> machines, String next) {
    public Team {
        machines = machines == null ? List.of() : machines;
    }

    /**
     * One machine. Times are the database server's clock (the heartbeat's), but {@code startedAt} (the machine's).
     *
     * @param self           whether it is this hub's machine
     * @param heartbeatAgeMs how long ago its hub last beat, by the server's clock; absent when it never beat
     * @param silent         whether its agents are shown offline to the others (no beat for too long, stopped, or none)
     * @param reason         why, when silent ("machine devbox silent since …")
     * @param rttMs          its hub's last heartbeat round trip to the database (the lag of that machine's writes)
     * @param skewMs         its clock minus the server's at its last beat (within half a round trip)
     * @param notifyLagUs    from a commit to its hub seeing the commit's NOTIFY, in microseconds (how late its watchers
     *                       and waiting asks learn of other hubs' commits; its hub's own clock at both ends)
     * @param agentsOnline   its agents the others see online (0 while it is silent)
     * @param agents         its agents, retired ones aside
     */
    public record Machine(String machine, boolean self, String version, Long pid, String startedAt, String lastHeartbeat,
                          Long heartbeatAgeMs, boolean silent, String reason, Long rttMs, Long skewMs, Long notifyLagUs,
                          int agentsOnline, int agents) {}
}
