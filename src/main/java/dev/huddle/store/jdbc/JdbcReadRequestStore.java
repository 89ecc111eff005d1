package dev.huddle.store.jdbc;

import dev.huddle.store.ReadRequestStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ReadRequestStore} in SQL, on any database a {@link SqlDialect} describes. */
public class JdbcReadRequestStore implements ReadRequestStore {
    private static final String COLUMNS = "id, requester_id, target_id, owner, params, status, response, created_at, answered_at, expires_at";

    private final SqlDialect db;

    public JdbcReadRequestStore(SqlDialect db) {
        this.db = db;
    }

    @Override
    public long ask(String requesterId, String targetId, String owner, String params, Instant now, Instant expiresAt) {
        return db.write(c -> {
            try (PreparedStatement ps = db.prepareInsert(c, "INSERT INTO read_requests (requester_id, target_id, owner, params, status,"
                    + " created_at, expires_at) VALUES (?,?,?,?,?,?,?)", "id")) {
                ps.setString(1, requesterId);
                ps.setString(2, targetId);
                ps.setString(3, owner);
                ps.setString(4, params);
                ps.setString(5, PENDING);
                ps.setLong(6, now.toEpochMilli());
                ps.setLong(7, expiresAt.toEpochMilli());
                ps.executeUpdate();
                return db.insertedId(c, ps);
            }
        });
    }

    @Override
    public Optional<ReadRequest> find(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM read_requests WHERE id = ?")) {
                ps.setLong(1, id);
                return read(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<ReadRequest> pendingFor(String owner, Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM read_requests"
                    + " WHERE owner = ? AND status = '" + PENDING + "' AND expires_at > ? ORDER BY id")) {
                ps.setString(1, owner);
                ps.setLong(2, now.toEpochMilli());
                return read(ps);
            }
        });
    }

    @Override
    public boolean answer(long id, String status, String response, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE read_requests SET status = ?, response = ?, answered_at = ?"
                    + " WHERE id = ? AND status = '" + PENDING + "' AND expires_at > ?")) {
                ps.setString(1, status);
                ps.setString(2, response);
                ps.setLong(3, at.toEpochMilli());
                ps.setLong(4, id);
                ps.setLong(5, at.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void delete(long id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM read_requests WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * A read first: a DELETE that finds nothing still fires the tables' statement triggers (a commit notification to
     * every hub, each of which would look and delete again).
     */
    @Override
    public int deleteExpired(Instant now) {
        boolean any = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM read_requests WHERE expires_at <= ? LIMIT 1")) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!any) return 0;
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM read_requests WHERE expires_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static List<ReadRequest> read(PreparedStatement ps) throws SQLException {
        List<ReadRequest> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long answered = rs.getLong("answered_at");
                Instant answeredAt = rs.wasNull() ? null : Instant.ofEpochMilli(answered);
                out.add(new ReadRequest(rs.getLong("id"), rs.getString("requester_id"), rs.getString("target_id"), rs.getString("owner"),
                        rs.getString("params"), rs.getString("status"), rs.getString("response"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), answeredAt, Instant.ofEpochMilli(rs.getLong("expires_at"))));
            }
        }
        return out;
    }
}
