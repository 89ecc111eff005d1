package dev.huddle.store.postgres;

import dev.huddle.core.identity.HubHeartbeat;
import dev.huddle.store.HubBeats;
import dev.huddle.store.MachineHub;
import dev.huddle.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HubBeats} on the shared PostgreSQL store. A beat runs on a connection of its own (made again after a loss),
 * in autocommit, without the advisory lock every writing transaction takes: it touches only this machine's row and
 * decides nothing, so it needs no order with other writes, and neither a burst of sends nor a pool busy with slow
 * statements holds it up. The table has no NOTIFY trigger, so a beat wakes no hub's waiters.
 */
public final class PostgresHubBeats implements HubBeats, AutoCloseable {
    private static final String NOW = PostgresAgentStore.SERVER_NOW_MS;
    private final PostgresDatabase db;
    private final String machine;
    private Connection connection;

    public PostgresHubBeats(PostgresDatabase db) {
        this.db = db;
        this.machine = db.machine();
    }

    @Override
    public synchronized void beat(String version, long pid, Instant startedAt, Long lastRttMs) {
        long half = lastRttMs == null ? 0 : lastRttMs / 2; // the server reads its clock about half a round trip after we sent
        update("INSERT INTO hubs (machine, version, pid, started_at, last_heartbeat, stopped_at, rtt_ms, skew_ms)"
                + " VALUES (?, ?, ?, ?, " + NOW + ", NULL, ?, ? - " + NOW + ") ON CONFLICT (machine) DO UPDATE SET"
                + " version = excluded.version, pid = excluded.pid, started_at = excluded.started_at,"
                + " last_heartbeat = excluded.last_heartbeat, stopped_at = NULL, rtt_ms = excluded.rtt_ms, skew_ms = excluded.skew_ms",
                ps -> {
                    ps.setString(1, machine);
                    ps.setString(2, version);
                    ps.setLong(3, pid);
                    ps.setLong(4, startedAt.toEpochMilli());
                    if (lastRttMs == null) ps.setNull(5, java.sql.Types.BIGINT);
                    else ps.setLong(5, lastRttMs);
                    ps.setLong(6, System.currentTimeMillis() + half);
                });
    }

    @Override
    public synchronized void stopped(long pid) {
        // only while the row is still this hub's: a hub started since on this machine (a handover) beats on
        update("UPDATE hubs SET stopped_at = " + NOW + " WHERE machine = ? AND pid = ?", ps -> {
            ps.setString(1, machine);
            ps.setLong(2, pid);
        });
        close();
    }

    @Override
    public List<MachineHub> machines() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH m AS (SELECT machine FROM hubs UNION"
                    + " SELECT DISTINCT machine FROM agents WHERE machine IS NOT NULL AND retired_at IS NULL)"
                    + " SELECT m.machine, h.last_heartbeat, h.stopped_at, " + NOW + ", h.version, h.pid, h.started_at, h.rtt_ms, h.skew_ms,"
                    + " (SELECT count(*) FROM agents a WHERE a.machine = m.machine AND a.retired_at IS NULL AND a.online = 1),"
                    + " (SELECT count(*) FROM agents a WHERE a.machine = m.machine AND a.retired_at IS NULL)"
                    + " FROM m LEFT JOIN hubs h ON h.machine = m.machine ORDER BY m.machine COLLATE \"C\"");
                 ResultSet rs = ps.executeQuery()) {
                List<MachineHub> out = new ArrayList<>();
                while (rs.next()) {
                    HubHeartbeat beat = new HubHeartbeat(rs.getString(1), instant(rs, 2), instant(rs, 3), Instant.ofEpochMilli(rs.getLong(4)));
                    Long pid = number(rs, 6);
                    out.add(new MachineHub(beat, rs.getString(5), pid == null ? 0 : pid, instant(rs, 7), number(rs, 8), number(rs, 9),
                            rs.getInt(10), rs.getInt(11)));
                }
                return out;
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) connection = db.connectAlone();
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    binder.bind(ps);
                    ps.executeUpdate();
                    return;
                }
            } catch (SQLException e) {
                close(); // made again at the next try: a restarted server, a cut network
                if (attempt > 1 || !PgHealth.connectionLost(e)) {
                    throw new StoreException("store-degraded", "the hub's heartbeat could not be written to " + db.target() + ": "
                            + e.getMessage(), "Check the server with pg_isready; the beat is tried again every "
                            + HubHeartbeat.BEAT.toSeconds() + " s.", e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) ConnectionPool.closeQuietly(connection);
        connection = null;
    }

    private static Long number(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Long v = number(rs, col);
        return v == null ? null : Instant.ofEpochMilli(v);
    }
}
