package dev.huddle.store.jdbc;

import dev.huddle.store.ReadRequestStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ReadRequestStore} in SQL, on any database a {@link SqlDialect} describes. Expiry is compared with the hub's
 * clock ({@code now} as given), or with the database's own clock when {@code serverNowMs} names it: on a shared store
 * a row's times are the server's (V016), and an owner whose clock is off must still answer on time.
 */
public class JdbcReadRequestStore implements ReadRequestStore {
    private static final String COLUMNS = "id, requester_id, target_id, owner, params, status, response, created_at, answered_at, expires_at";

    private final SqlDialect db;
    /** SQL for the database's now in epoch ms, or null: the caller's {@code now} is bound instead. */
    private final String serverNowMs;

    public JdbcReadRequestStore(SqlDialect db) {
        this(db, null);
    }

    protected JdbcReadRequestStore(SqlDialect db, String serverNowMs) {
        this.db = db;
        this.serverNowMs = serverNowMs;
    }

    /** "Now" in a statement: the database's clock, or a parameter for the caller's. */
    private String now() {
        return serverNowMs == null ? "?" : serverNowMs;
    }

    /** Binds the caller's {@code now} at {@code index} when the statement holds a parameter for it; the next index. */
    private int bindNow(PreparedStatement ps, int index, Instant now) throws SQLException {
        if (serverNowMs != null) return index;
        ps.setLong(index, now.toEpochMilli());
        return index + 1;
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
                    + " WHERE owner = ? AND status = '" + PENDING + "' AND expires_at > " + now() + " ORDER BY id")) {
                ps.setString(1, owner);
                bindNow(ps, 2, now);
                return read(ps);
            }
        });
    }

    @Override
    public boolean answer(long id, String status, String response, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE read_requests SET status = ?, response = ?, answered_at = " + now()
                    + " WHERE id = ? AND status = '" + PENDING + "' AND expires_at > " + now())) {
                ps.setString(1, status);
                ps.setString(2, response);
                int i = bindNow(ps, 3, at);
                ps.setLong(i, id);
                bindNow(ps, i + 1, at);
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
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM read_requests WHERE expires_at <= " + now() + " LIMIT 1")) {
                bindNow(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!any) return 0;
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM read_requests WHERE expires_at <= " + now())) {
                bindNow(ps, 1, now);
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
