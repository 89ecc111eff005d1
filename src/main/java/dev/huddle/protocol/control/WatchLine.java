package dev.huddle.protocol.control;

import dev.huddle.protocol.cockpit.CockpitSnapshot;

/** A line of the {@code cockpit_watch} stream after its reply: a new snapshot, or a heartbeat when nothing changed. */
public record WatchLine(CockpitSnapshot snapshot, Boolean heartbeat) {
    public static final WatchLine HEARTBEAT = new WatchLine(null, true);

    public static WatchLine of(CockpitSnapshot snapshot) {
        return new WatchLine(snapshot, null);
    }
}
