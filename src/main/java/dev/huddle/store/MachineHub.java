package dev.huddle.store;

import dev.huddle.core.identity.HubHeartbeat;

import java.time.Instant;

/**
 * One machine of a shared store as its hub's row says, with its agents counted.
 *
 * @param heartbeat    its last beat and stop against the server's clock (the rule of who is silent)
 * @param version      the huddle version of its hub; null when it never beat
 * @param pid          its hub's process id on that machine, or 0
 * @param startedAt    when its hub started (that machine's clock), or null
 * @param rttMs        its previous beat's round trip to the database, as its hub timed it, or null
 * @param skewMs       its clock minus the server's at its last beat (within half a round trip), or null
 * @param notifyLagUs  from a commit of its hub's to that hub seeing the commit's NOTIFY (its last timed beat, its own
 *                     clock), in microseconds, or null
 * @param agentsOnline its agents not retired whose row says online (shown offline to the others while it is silent)
 * @param agents       its agents not retired
 */
public record MachineHub(HubHeartbeat heartbeat, String version, long pid, Instant startedAt, Long rttMs, Long skewMs,
                         Long notifyLagUs, int agentsOnline, int agents) {
    public String machine() {
        return heartbeat.machine();
    }
}
