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
 *
 * <p>Each beat then sends a notice on its own channel, and this hub's listening connection times its arrival against the
 * notice's commit as the beat's connection saw it (one clock, this hub's): the lag from a commit to this hub seeing its
 * NOTIFY, which is how late this hub's waiters learn of another hub's commit. It is written with the next beat.
 */
public final class PostgresHubBeats implements HubBeats, AutoCloseable {
    private static final String NOW = PostgresAgentStore.SERVER_NOW_MS;
    private final PostgresDatabase db;
    private final String machine;
    private Connection connection;
    /** The notice in flight and when its commit returned and its NOTIFY arrived (nanoTime, 0 until then); under itself. */
    private final Object notice = new Object();
    private long noticeSeq;
    private long committedAt;
    private long arrivedAt;
    private volatile Long notifyLagUs;
    /** The last upsert's round trip (its statement alone, not a reconnection), or null before the first. */
    private Long lastRttMs;

    public PostgresHubBeats(PostgresDatabase db) {
        this.db = db;
        this.machine = db.machine();
        db.onBeatNotice(this::noticed);
    }

    @Override
    public synchronized void beat(String version, long pid, Instant startedAt) {
        Long lastRttMs = this.lastRttMs;
        long half = lastRttMs == null ? 0 : lastRttMs / 2; // the server reads its clock about half a round trip after we sent
        Long lag = notifyLagUs;
        this.lastRttMs = update("INSERT INTO hubs (machine, version, pid, started_at, last_heartbeat, stopped_at, rtt_ms, skew_ms, notify_lag_us)"
                + " VALUES (?, ?, ?, ?, " + NOW + ", NULL, ?, ? - " + NOW + ", ?) ON CONFLICT (machine) DO UPDATE SET"
                + " version = excluded.version, pid = excluded.pid, started_at = excluded.started_at,"
                + " last_heartbeat = excluded.last_heartbeat, stopped_at = NULL, rtt_ms = excluded.rtt_ms, skew_ms = excluded.skew_ms,"
                + " notify_lag_us = excluded.notify_lag_us",
                ps -> {
                    ps.setString(1, machine);
                    ps.setString(2, version);
                    ps.setLong(3, pid);
                    ps.setLong(4, startedAt.toEpochMilli());
                    if (lastRttMs == null) ps.setNull(5, java.sql.Types.BIGINT);
                    else ps.setLong(5, lastRttMs);
                    ps.setLong(6, System.currentTimeMillis() + half);
                    if (lag == null) ps.setNull(7, java.sql.Types.BIGINT);
                    else ps.setLong(7, lag);
                });
        long seq;
        synchronized (notice) {
            seq = ++noticeSeq;
            committedAt = 0;
            arrivedAt = 0;
        }
        update("SELECT pg_notify('" + PgChangeFeed.BEATS + "', ?)", ps -> ps.setString(1, machine + " " + seq));
        synchronized (notice) {
            if (seq == noticeSeq) {
                committedAt = System.nanoTime();
                settle();
            }
        }
    }

    /** A beat's notice reached this hub's listening connection (any hub's: only this one's own is timed). */
    private void noticed(String payload, long at) {
        synchronized (notice) {
            if (!payload.equals(machine + " " + noticeSeq)) return;
            arrivedAt = at;
            settle();
        }
    }

    private void settle() {
        // the NOTIFY may arrive before the commit's answer reaches the beat's thread: that is no lag at all
        if (committedAt != 0 && arrivedAt != 0) notifyLagUs = Math.max(0, (arrivedAt - committedAt) / 1000);
    }

    /** The last beat's commit to this hub seeing its NOTIFY, in microseconds; null until one was timed. */
    public Long notifyLagUs() {
        return notifyLagUs;
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
                    + " SELECT m.machine, h.last_heartbeat, h.stopped_at, " + NOW + ", h.version, h.pid, h.started_at, h.rtt_ms, h.skew_ms, h.notify_lag_us,"
                    + " (SELECT count(*) FROM agents a WHERE a.machine = m.machine AND a.retired_at IS NULL AND a.online = 1),"
                    + " (SELECT count(*) FROM agents a WHERE a.machine = m.machine AND a.retired_at IS NULL)"
                    + " FROM m LEFT JOIN hubs h ON h.machine = m.machine ORDER BY m.machine COLLATE \"C\"");
                 ResultSet rs = ps.executeQuery()) {
                List<MachineHub> out = new ArrayList<>();
                while (rs.next()) {
                    HubHeartbeat beat = new HubHeartbeat(rs.getString(1), instant(rs, 2), instant(rs, 3), Instant.ofEpochMilli(rs.getLong(4)));
                    Long pid = number(rs, 6);
                    out.add(new MachineHub(beat, rs.getString(5), pid == null ? 0 : pid, instant(rs, 7), number(rs, 8), number(rs, 9),
                            number(rs, 10), rs.getInt(11), rs.getInt(12)));
                }
                return out;
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs one statement on the beat's own connection; returns its round trip in ms (a reconnection not counted). */
    private long update(String sql, Binder binder) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) connection = db.connectAlone();
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    binder.bind(ps);
                    long t0 = System.nanoTime();
                    ps.execute(); // an upsert, or the notice's SELECT
                    return (System.nanoTime() - t0) / 1_000_000;
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
