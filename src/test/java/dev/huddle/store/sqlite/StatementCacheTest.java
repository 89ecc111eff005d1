package dev.huddle.store.sqlite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StatementCache} through {@link SqliteDatabase#query}: reuse, nesting, failures, results and locks. */
class StatementCacheTest {
    @TempDir
    Path dir;
    SqliteDatabase db;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dir.resolve("t.db"));
        db.query(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
                st.executeUpdate("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String value(int k) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                ps.setInt(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Test
    void aStatementIsPreparedOnceAndReusedWithFreshParameters() {
        Object[] seen = new Object[2];
        for (int i = 0; i < 2; i++) {
            int n = i;
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                    seen[n] = ps;
                    ps.setInt(1, n + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(n == 0 ? "one" : "two");
                    }
                }
                return null;
            });
        }
        assertThat(seen[0]).isSameAs(seen[1]);
        assertThat(value(3)).isEqualTo("three");
        assertThat(value(4)).isNull();
    }

    @Test
    void theSameSqlNestedGetsItsOwnStatement() {
        String r = db.query(c -> {
            try (PreparedStatement outer = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                outer.setInt(1, 1);
                try (ResultSet rs = outer.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    String inner = value(2); // same SQL while the outer result set is open
                    return rs.getString(1) + "/" + inner;
                }
            }
        });
        assertThat(r).isEqualTo("one/two");
        assertThat(value(1)).isEqualTo("one");
    }

    @Test
    void aResultSetLeftOpenIsClosedWhenTheStatementGoesBack() {
        db.query(c -> {
            PreparedStatement ps = c.prepareStatement("SELECT v FROM t ORDER BY k");
            ResultSet rs = ps.executeQuery();
            assertThat(rs.next()).isTrue();
            ps.close(); // the result set was not closed: the cache closes it, which resets the statement
            assertThat(rs.isClosed()).isTrue();
            return null;
        });
        // a reader statement left mid-way would keep a read transaction: writes and checkpoints still work
        db.inTransaction(() -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ? WHERE k = ?")) {
                ps.setString(1, "uno");
                ps.setInt(2, 1);
                return ps.executeUpdate();
            }
        }));
        assertThat(value(1)).isEqualTo("uno");
    }

    @Test
    void aFailedStatementDoesNotPoisonTheCache() {
        assertThatThrownBy(() -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
                ps.setInt(1, 1); // duplicate key
                ps.setString(2, "again");
                return ps.executeUpdate();
            }
        })).hasMessageContaining("UNIQUE");
        int inserted = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
                ps.setInt(1, 9);
                ps.setString(2, "nine");
                return ps.executeUpdate();
            }
        });
        assertThat(inserted).isEqualTo(1);
        assertThat(value(9)).isEqualTo("nine");
    }

    @Test
    void aRolledBackTransactionLeavesCachedStatementsUsable() {
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ? WHERE k = ?")) {
                    ps.setString(1, "changed");
                    ps.setInt(2, 2);
                    return ps.executeUpdate();
                }
            });
            throw new IllegalStateException("abort");
        })).hasMessage("abort");
        assertThat(value(2)).isEqualTo("two");
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < 200; i++) {
            int n = i;
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + n + " + k FROM t WHERE k = ?")) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(n + 1);
                    }
                }
                return null;
            });
        }
        assertThat(value(3)).isEqualTo("three");
    }
}
