package dev.huddle.store.jdbc;

import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link WakeStore} in SQL, on any database a {@link SqlDialect} describes. */
public class JdbcWakeStore implements WakeStore {
    protected static final String COLUMNS = "id, message_id, target_id, reply_to, client_type, route, status, reason, attempt, at, duration_ms, kind";
    /** The decision rows: one per wake, whatever its route did afterwards (see WakeRecord.firedStatus). */
    private static final String FIRED = "status = 'will_fire'";

    /** A refusal the timers decide again (the partial index wakes_refused holds exactly these rows). */
    private static final String REFUSED = "status IN ('skipped_rate_limited', 'skipped_debounced')";
    /** The kinds whose refusal is deferred: a message's own wake and a deferred one, not the other timers' wakes. */
    private static final String DEFERRED_KINDS = "kind NOT IN ('retry', 'repoke', 'pull_back')";

    private final SqlDialect db;

    public JdbcWakeStore(SqlDialect db) {
        this.db = db;
    }

    @Override
    public long record(WakeRecord r) {
        return db.write(c -> {
            try (PreparedStatement ps = db.prepareInsert(c, "INSERT INTO wakes (message_id, target_id, reply_to, client_type, route,"
                    + " status, reason, attempt, at, duration_ms, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?)", "id")) {
                ps.setString(1, r.messageId());
                ps.setString(2, r.targetId());
                ps.setString(3, r.replyTo());
                ps.setString(4, r.clientType());
                ps.setString(5, r.route());
                ps.setString(6, r.status());
                ps.setString(7, r.reason());
                ps.setInt(8, r.attempt());
                ps.setLong(9, r.at().toEpochMilli());
                if (r.durationMs() == null) ps.setNull(10, Types.INTEGER);
                else ps.setLong(10, r.durationMs());
                ps.setString(11, r.kind());
                ps.executeUpdate();
                return db.insertedId(c, ps);
            }
        });
    }

    @Override
    public Optional<WakeRecord> latestFor(String messageId) {
        List<WakeRecord> r = many("SELECT " + COLUMNS + " FROM wakes WHERE message_id = ? ORDER BY id DESC LIMIT 1", messageId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
    }

    @Override
    public Optional<Instant> lastFiredAt(String targetId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT max(at) FROM wakes WHERE target_id = ? AND " + FIRED)) {
                ps.setString(1, targetId);
                try (ResultSet rs = ps.executeQuery()) {
                    long v = rs.next() ? rs.getLong(1) : 0;
                    return rs.wasNull() || v == 0 ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(v));
                }
            }
        });
    }

    @Override
    public int firedSince(String targetId, Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM wakes WHERE target_id = ? AND at >= ? AND " + FIRED)) {
                ps.setString(1, targetId);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    @Override
    public boolean firedForReply(String targetId, String replyTo) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM wakes WHERE target_id = ? AND reply_to = ? AND " + FIRED + " LIMIT 1")) {
                ps.setString(1, targetId);
                ps.setString(2, replyTo);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<WakeRecord> missedForNoRoute(String targetId, Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wakes w" + db.indexedBy("wakes_by_target")
                    + " WHERE w.target_id = ? AND w.at >= ? AND w.status = 'skipped_no_route' AND w.message_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM wakes l WHERE l.message_id = w.message_id AND l.id > w.id)"
                    + " AND EXISTS (SELECT 1 FROM messages m WHERE m.id = w.message_id AND m.delivered_at IS NULL)"
                    + " ORDER BY w.id DESC LIMIT 1")) {
                ps.setString(1, targetId);
                ps.setLong(2, since.toEpochMilli());
                return read(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<WakeRecord> forMessage(String messageId) {
        return many("SELECT " + COLUMNS + " FROM wakes WHERE message_id = ? ORDER BY id", messageId);
    }

    @Override
    public List<String> messagesWokenSince(Instant since) {
        return db.read(c -> {
            // wakes_decisions (a partial index on at) holds only the decision rows: a look reads the recent ones.
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT message_id FROM wakes" + db.indexedBy("wakes_decisions")
                    + " WHERE " + FIRED + " AND at >= ? AND message_id IS NOT NULL")) {
                ps.setLong(1, since.toEpochMilli());
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public List<Instant> firedAtSince(String targetId, Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at FROM wakes" + db.indexedBy("wakes_by_target")
                    + " WHERE target_id = ? AND at >= ? AND " + FIRED + " ORDER BY at")) {
                ps.setString(1, targetId);
                ps.setLong(2, since.toEpochMilli());
                List<Instant> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(Instant.ofEpochMilli(rs.getLong(1)));
                }
                return out;
            }
        });
    }

    @Override
    public List<WakeRecord> deferrable(Instant since) {
        return db.read(c -> {
            // One pass over the recent refusals picks each target's newest (a per-refusal search for a newer one was
            // quadratic: with thousands of messages queued for one agent every look took seconds under the lock).
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wakes w WHERE w.id IN"
                    + " (SELECT max(r.id) FROM wakes r" + db.indexedBy("wakes_refused") + " WHERE r." + REFUSED + " AND r.at >= ?"
                    + "   AND r.message_id IS NOT NULL AND r." + DEFERRED_KINDS + " GROUP BY r.target_id)"
                    // still the latest row of its message (a re-decision, a re-poke or a give-up supersedes it)
                    + " AND NOT EXISTS (SELECT 1 FROM wakes l WHERE l.message_id = w.message_id AND l.id > w.id)"
                    // no wake of the target fired since
                    + " AND NOT EXISTS (SELECT 1 FROM wakes n WHERE n.target_id = w.target_id AND n.at >= w.at AND n.id > w.id AND n." + FIRED + ")"
                    + " AND EXISTS (SELECT 1 FROM messages m WHERE m.id = w.message_id AND m.delivered_at IS NULL)"
                    + " ORDER BY w.id")) {
                ps.setLong(1, since.toEpochMilli());
                return read(ps);
            }
        });
    }

    @Override
    public List<WakeRecord> since(Instant since, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wakes WHERE at >= ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, since.toEpochMilli());
                ps.setInt(2, limit);
                return read(ps);
            }
        });
    }

    @Override
    public List<SummaryRow> summary(Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT route, client_type, status, count(*), avg(duration_ms), max(duration_ms)"
                    + " FROM wakes WHERE at >= ? GROUP BY route, client_type, status" + summaryOrder())) {
                ps.setLong(1, since.toEpochMilli());
                List<SummaryRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double avg = rs.getDouble(5);
                        Double avgOrNull = rs.wasNull() ? null : avg;
                        long max = rs.getLong(6);
                        Long maxOrNull = rs.wasNull() ? null : max;
                        out.add(new SummaryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), avgOrNull, maxOrNull));
                    }
                }
                return out;
            }
        });
    }

    /** By route and client, the most frequent status first (the order SQLite gives: nulls first, text by its bytes). */
    protected String summaryOrder() {
        return " ORDER BY route, client_type, count(*) DESC";
    }

    private List<WakeRecord> many(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                return read(ps);
            }
        });
    }

    protected static List<WakeRecord> read(PreparedStatement ps) throws SQLException {
        List<WakeRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long d = rs.getLong("duration_ms");
                Long duration = rs.wasNull() ? null : d;
                out.add(new WakeRecord(rs.getLong("id"), rs.getString("message_id"), rs.getString("target_id"), rs.getString("reply_to"),
                        rs.getString("client_type"), rs.getString("route"), rs.getString("status"), rs.getString("reason"),
                        rs.getInt("attempt"), Instant.ofEpochMilli(rs.getLong("at")), duration, rs.getString("kind")));
            }
        }
        return out;
    }
}
