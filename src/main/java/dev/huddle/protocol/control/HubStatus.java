package dev.huddle.protocol.control;

import java.time.Instant;
import java.util.List;

/**
 * The reply to {@code status} ({@code huddle hub status}, {@code huddle doctor}): the hub's process, build, sockets,
 * database (schema and the background {@code quick_check}: pending, ok, or what failed), load and config problems.
 */
public record HubStatus(long pid, String version, String build, Instant startedAt, long uptimeS, String home, String mcpSocket,
                        String httpSocket, String database, int schemaVersion, String databaseCheck, int agents,
                        int connectedFronts, int cockpitWatchers, long idleExitS, List<String> configProblems, long heapUsedMb) {
    public HubStatus {
        configProblems = configProblems == null ? List.of() : configProblems;
    }
}
