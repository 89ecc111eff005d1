package dev.huddle.core.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * A machine's hub as its heartbeats tell it, on a store several machines' hubs share, and the one rule for whether
 * that machine's agents count as online to the others. Every time is the database server's clock (the beat writes
 * it, the reader reads it in the same query), so the machines' own clocks never decide.
 *
 * <p>A hub beats every {@link #BEAT}; one whose last beat is older than {@link #SILENT_AFTER} is silent (its process
 * died, its machine slept, its network was cut), and so is one that stopped in order or never beat at all. A silent
 * machine's agents are shown offline, whatever their rows still say: nobody there delivers to them or wakes them now.
 * Four missed beats, so a loaded machine's late beat does not flap its agents, and offline within 10 s of the last.
 *
 * @param machine       the machine's name ({@code HUDDLE_MACHINE})
 * @param lastHeartbeat its hub's last beat, or null when it never beat
 * @param stoppedAt     when its hub stopped in order (after its last beat), or null
 * @param serverNow     the server's clock when this was read
 */
public record HubHeartbeat(String machine, Instant lastHeartbeat, Instant stoppedAt, Instant serverNow) {
    public static final Duration BEAT = Duration.ofSeconds(2);
    public static final Duration SILENT_AFTER = Duration.ofSeconds(8);

    /** How long ago the last beat was (zero for a beat "in the future", as a clock stepped back shows it); null if none. */
    public Duration age() {
        if (lastHeartbeat == null) return null;
        Duration d = Duration.between(lastHeartbeat, serverNow);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Whether the machine's agents count as offline to the other machines. */
    public boolean silent() {
        return lastHeartbeat == null || stoppedAt != null || age().compareTo(SILENT_AFTER) > 0;
    }

    /** Since when its agents count as offline: its stop, else its last beat (null: it never beat). */
    public Instant silentSince() {
        return stoppedAt != null ? stoppedAt : lastHeartbeat;
    }

    /** Why its agents are offline, for a human or an agent ("machine devbox silent since …"); null while it beats. */
    public String reason() {
        if (!silent()) return null;
        if (lastHeartbeat == null) return "machine " + machine + " has no hub heartbeat";
        if (stoppedAt != null) return "machine " + machine + "'s hub stopped at " + stoppedAt;
        return "machine " + machine + " silent since " + lastHeartbeat + " (no hub heartbeat for " + age().toSeconds() + " s)";
    }
}
