package dev.huddle.protocol.control;

import java.time.Instant;
import java.util.List;

/**
 * The reply to {@code status} ({@code huddle hub status}, {@code huddle doctor}): the hub's process, build, sockets,
 * database (schema and the background {@code quick_check}: pending, ok, or what failed), load and config problems.
 *
 * @param storage       whether the database takes writes: {@code ok}, {@code degraded} (a full or failing disk: the
 *                      hub heals by itself once writes work again) or {@code corrupt} (the hub refuses to serve)
 * @param storageReason what fails, while not ok
 * @param storageSince  since when, while not ok
 * @param rehearsal     the start-up rehearsal of a hub started ahead of any session: {@code none} (not asked: a
 *                      session started it), {@code off} (asked, HUDDLE_HUB_REHEARSAL=off), {@code running}, {@code done},
 *                      {@code skipped} (a shared store), {@code abandoned} (a real front arrived first) or {@code failed}
 */
public record HubStatus(long pid, String version, String build, Instant startedAt, long uptimeS, String home, String mcpSocket,
                        String httpSocket, String database, int schemaVersion, String databaseCheck, int agents,
                        int connectedFronts, int cockpitWatchers, long idleExitS, List<String> configProblems, long heapUsedMb,
                        String storage, String storageReason, Instant storageSince, String rehearsal) {
    public static final String STORAGE_OK = "ok";

    public HubStatus {
        configProblems = configProblems == null ? List.of() : configProblems;
        storage = storage == null ? STORAGE_OK : storage; // a hub from before storage was reported
    }
}
