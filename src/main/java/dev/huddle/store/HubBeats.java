package dev.huddle.store;

import java.time.Instant;
import java.util.List;

/**
 * The heartbeats of the hubs that share a store (one row per machine): each hub writes its own, every hub reads them
 * all. A beat is one short statement on a connection of its own, outside the lock every writer takes, so a slow
 * database delays the beat, never an agent's call, and a beat never waits behind a burst of messages.
 */
public interface HubBeats {
    /** This hub is alive now (the server's clock): its version, process and start (and what it timed of its last beat). */
    void beat(String version, long pid, Instant startedAt);

    /** This hub stops in order: its machine's agents count as offline at once (until its next beat). */
    void stopped(long pid);

    /** Every machine that has a hub row or agents, by name. */
    List<MachineHub> machines();
}
