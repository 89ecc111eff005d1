package dev.huddle.store.sqlite;

import dev.huddle.store.Recovery;
import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16: a full disk degrades the database and heals it once writes work again, without a restart (SQLite's own
 * page limit plays the full disk here; DatabaseFaultsIT fills a real tmpfs); SQLITE_CORRUPT marks it corrupt for
 * good; {@link SqliteRecovery} salvages what a damaged file still holds.
 */
class SqliteFaultsTest {
    private static final String BIG = "x".repeat(3000);

    private static void insert(SqliteDatabase db, String body) {
        db.inTransaction(() -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(body) VALUES (?)")) {
                ps.setString(1, body);
                return ps.executeUpdate();
            }
        }));
    }

    private static long count(SqliteDatabase db) {
        return db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void sql(SqliteDatabase db, String sql) {
        db.query(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            return null;
        });
    }

    @Test
    void aFullDatabaseDegradesAndHealsWithoutARestartLosingNothingCommitted(@TempDir Path tmp) {
        List<StoreHealth> told = new CopyOnWriteArrayList<>();
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            db.onHealth(told::add);
            sql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)");
            for (int i = 0; i < 5; i++) insert(db, BIG);
            long pages = db.query(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            sql(db, "PRAGMA max_page_count = " + (pages + 2)); // the disk is (nearly) full
            int failed = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    insert(db, BIG);
                } catch (StoreException e) {
                    failed++;
                    assertThat(e.code()).isEqualTo("store-degraded");
                    assertThat(e.getMessage()).contains("is full").doesNotContain("cannot rollback");
                    assertThat(e.hint()).contains("recovers by itself");
                }
            }
            assertThat(failed).isPositive();
            assertThat(db.health().state()).isEqualTo(StoreHealth.State.DEGRADED);
            assertThat(db.health().reason()).contains("is full");
            long committed = count(db);

            sql(db, "PRAGMA max_page_count = 1073741823"); // space came back
            assertThat(db.probe()).isTrue();
            assertThat(db.health()).isEqualTo(StoreHealth.OK);
            for (int i = 0; i < 5; i++) insert(db, BIG);
            assertThat(count(db)).isEqualTo(committed + 5);
            assertThat(told).extracting(StoreHealth::state).containsExactly(StoreHealth.State.DEGRADED, StoreHealth.State.OK);
        }
    }

    @Test
    void aWriteThatFailsMidTransactionRollsBackAllOfIt(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            sql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)");
            insert(db, "before");
            sql(db, "PRAGMA max_page_count = " + db.query(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
            assertThatThrownBy(() -> db.inTransaction(() -> {
                for (int i = 0; i < 50; i++) insert(db, BIG + i); // joins the outer transaction; fails part way
                return null;
            })).isInstanceOf(StoreException.class);
            sql(db, "PRAGMA max_page_count = 1073741823");
            assertThat(count(db)).as("none of the failed transaction's rows").isEqualTo(1);
            insert(db, "after");
            assertThat(count(db)).isEqualTo(2);
        }
    }

    /** A real huddle database with rows in every table that matters, closed and checkpointed. */
    private static Path database(Path tmp, int messages) {
        Path file = tmp.resolve("huddle.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            sql(db, "INSERT INTO agents(agent_id, session_id, binding_source, client_type, project_root, cwd, created_at, last_seen_at)"
                    + " VALUES ('a1', 'a1', 'env', 'claude-code', '/r', '/r', 1, 1), ('a2', 'a2', 'env', 'codex', '/r', '/r', 1, 1)");
            db.inTransaction(() -> db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages(id, project_root, sender_id, origin, recipient_id,"
                        + " body, created_at) VALUES (?, '/r', 'a1', 'peer', 'a2', ?, ?)")) {
                    for (int i = 0; i < messages; i++) {
                        ps.setString(1, String.format("%016x", i));
                        ps.setString(2, "message " + i + " about the retry queue " + "y".repeat(200));
                        ps.setLong(3, i);
                        ps.executeUpdate();
                    }
                }
                return null;
            }));
        }
        return file;
    }

    /** Overwrites {@code count} pages in the middle of the file with garbage. */
    private static void damage(Path file, int count) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = f.length() / 4096;
            byte[] junk = new byte[4096];
            new java.util.Random(16).nextBytes(junk);
            for (int i = 0; i < count; i++) {
                f.seek((pages / 2 + i * 3L) * 4096);
                f.write(junk);
            }
        }
    }

    @Test
    void aCorruptPageMarksTheDatabaseCorruptAndEveryLaterCallFailsSayingHowToRecover(@TempDir Path tmp) throws Exception {
        Path file = database(tmp, 3000);
        damage(file, 3);
        try (SqliteDatabase db = SqliteDatabase.open(file)) { // the header is fine: it opens
            assertThat(db.quickCheck()).isNotEqualTo("ok");
            assertThat(db.health().state()).isEqualTo(StoreHealth.State.CORRUPT);
            assertThatThrownBy(db::schemaVersion).isInstanceOfSatisfying(StoreException.class, e -> {
                assertThat(e.code()).isEqualTo("store-corrupt");
                assertThat(e.getMessage()).contains("corrupt").contains(file.toString());
                assertThat(e.hint()).contains("huddle hub recover");
            });
        }
    }

    @Test
    void recoverySalvagesTheReadableRowsIntoANewDatabaseAndKeepsTheDamagedFileAsItWas(@TempDir Path tmp) throws Exception {
        Path file = database(tmp, 3000);
        damage(file, 3);
        byte[] damaged = Files.readAllBytes(file);

        Recovery r = SqliteRecovery.recover(file, Instant.parse("2026-12-07T07:30:00Z"));

        assertThat(r.keptAt()).hasFileName("huddle.db.corrupt-20261207-073000");
        assertThat(Files.readAllBytes(r.keptAt())).as("the damaged file, byte for byte").isEqualTo(damaged);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Recovery.Table messages = r.tables().stream().filter(t -> t.name().equals("messages")).findFirst().orElseThrow();
        assertThat(messages.copied()).as("most messages salvaged: %s", r).isGreaterThan(2500).isLessThan(3000);
        assertThat(messages.copied() + messages.unreadable() + messages.orphansDropped()).isGreaterThanOrEqualTo(3000);
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertThat(db.quickCheck()).isEqualTo("ok");
            assertThat(db.schemaVersion()).isEqualTo(SqliteDatabase.latestSchemaVersion());
            long rows = db.query(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).isEqualTo(messages.copied());
            List<String> found = new ArrayList<>();
            db.query(c -> { // the full-text index was rebuilt for what was salvaged
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'retry'")) {
                    rs.next();
                    found.add(String.valueOf(rs.getLong(1)));
                }
                return null;
            });
            assertThat(found).containsExactly(String.valueOf(rows));
            long agents = db.query(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM agents")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(agents).isEqualTo(2L);
        }
    }

    @Test
    void aDatabaseOfANewerHuddleIsNotRecovered(@TempDir Path tmp) throws Exception {
        Path file = database(tmp, 10);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(60);
            f.writeInt(99);
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SqliteRecovery.recover(file, Instant.now())).hasMessageContaining("newer");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("huddle.db");
        }
    }
}
