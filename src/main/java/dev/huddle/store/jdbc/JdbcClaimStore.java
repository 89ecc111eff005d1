package dev.huddle.store.jdbc;

import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.store.ClaimStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link ClaimStore} in SQL, on any database a {@link SqlDialect} describes. */
public class JdbcClaimStore implements ClaimStore {
    private final SqlDialect db;

    public JdbcClaimStore(SqlDialect db) {
        this.db = db;
    }

    @Override
    public List<PathClaim> active(String projectRoot, Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT project_root, holder_id, pattern, mode, reason, since, expires, implicit, ttl_s"
                    + " FROM claims WHERE project_root = ? AND expires > ? ORDER BY since, holder_id" + db.byteOrder() + ", pattern" + db.byteOrder())) {
                ps.setString(1, projectRoot);
                ps.setLong(2, now.toEpochMilli());
                List<PathClaim> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PathClaim(rs.getString(1), rs.getString(2), rs.getString(3),
                                ClaimMode.parse(rs.getString(4)), rs.getString(5),
                                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8) == 1, rs.getLong(9)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void put(Collection<PathClaim> claims) {
        db.transaction(c -> {
            // An implicit claim (an edit) never replaces an explicit one on the same pattern; an explicit one replaces both.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO claims (project_root, holder_id, pattern, mode, reason, since, expires,"
                    + " implicit, ttl_s) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (project_root, holder_id, pattern) DO UPDATE SET"
                    + " mode = excluded.mode, reason = excluded.reason, expires = excluded.expires, implicit = excluded.implicit,"
                    + " ttl_s = excluded.ttl_s,"
                    + " since = CASE WHEN claims.expires > excluded.since THEN claims.since ELSE excluded.since END"
                    + " WHERE excluded.implicit = 0 OR claims.implicit = 1 OR claims.expires <= excluded.since")) {
                for (PathClaim p : claims) {
                    ps.setString(1, p.projectRoot());
                    ps.setString(2, p.holderId());
                    ps.setString(3, p.pattern());
                    ps.setString(4, p.mode().wireName());
                    ps.setString(5, p.reason());
                    ps.setLong(6, p.since().toEpochMilli());
                    ps.setLong(7, p.expires().toEpochMilli());
                    ps.setInt(8, p.implicit() ? 1 : 0);
                    ps.setLong(9, p.ttlS());
                    ps.executeUpdate();
                }
                return null;
            }
        });
    }

    @Override
    public List<String> release(String projectRoot, String holderId, Collection<String> patterns) {
        return db.transaction(c -> {
            List<String> released = new ArrayList<>();
            String sql = "DELETE FROM claims WHERE project_root = ? AND holder_id = ?" + (patterns == null ? "" : " AND pattern = ?")
                    + " RETURNING pattern";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, projectRoot);
                ps.setString(2, holderId);
                for (String p : patterns == null ? List.<String>of("") : patterns) {
                    if (patterns != null) ps.setString(3, p);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) released.add(rs.getString(1));
                    }
                }
            }
            return released;
        });
    }

    @Override
    public int renew(String projectRoot, String holderId, Collection<String> patterns, Instant now) {
        return db.transaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE claims SET expires = " + db.greatest() + "(expires, ? + ttl_s * 1000)"
                    + " WHERE project_root = ? AND holder_id = ? AND pattern = ? AND implicit = 0 AND expires > ?")) {
                for (String p : patterns) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, projectRoot);
                    ps.setString(3, holderId);
                    ps.setString(4, p);
                    ps.setLong(5, now.toEpochMilli());
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    @Override
    public int releaseAll(String holderId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM claims WHERE holder_id = ?")) {
                ps.setString(1, holderId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM claims WHERE expires <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
