package dev.huddle.store.sqlite;

import dev.huddle.store.Recovery;
import dev.huddle.store.StoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code huddle hub recover}: salvages what is readable of a damaged database into a new one, with the semantics of
 * sqlite3's {@code .recover} for what SQL can reach: every row of every table that can still be read is copied, the
 * rows behind damaged pages are skipped (a range that fails to read is halved until the failing rows are found), the
 * full-text index is rebuilt and rows whose parent was lost are dropped. The damaged file (and its WAL) is kept aside,
 * byte for byte, as {@code huddle.db.corrupt-<time>}; the salvage works on a copy. Call it with no hub running.
 */
public final class SqliteRecovery {
    private SqliteRecovery() {}

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public static Recovery recover(Path db, Instant now) {
        if (!Files.isRegularFile(db)) throw new StoreException("there is no database to recover at " + db);
        Path kept = db.resolveSibling(db.getFileName() + ".corrupt-" + STAMP.format(now));
        Path work = db.resolveSibling(db.getFileName() + ".salvage");
        Path fresh = db.resolveSibling(db.getFileName() + ".recovered");
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(work + suffix));
                Files.deleteIfExists(Path.of(fresh + suffix));
            }
            // the damaged file stays as it is, under another name; the salvage reads a copy (opening replays its WAL)
            for (String suffix : List.of("", "-wal")) {
                Path from = Path.of(db + suffix);
                if (Files.exists(from)) Files.copy(from, Path.of(work + suffix));
            }
            refuseNewer(work, db);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path from = Path.of(db + suffix);
                if (Files.exists(from)) Files.move(from, Path.of(kept + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
            Recovery r = salvage(work, fresh, kept);
            SqliteDatabase.open(fresh).close(); // brought to the latest schema, checkpointed
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
            Files.move(fresh, db, StandardCopyOption.ATOMIC_MOVE);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(work + suffix));
                Files.deleteIfExists(Path.of(fresh + suffix));
            }
            return new Recovery(db, kept, r.tables(), r.oldSchemaVersion(), r.unreadableReason());
        } catch (IOException e) {
            throw new StoreException("recovering " + db + " failed: " + e.getMessage()
                    + (Files.exists(kept) ? "; the damaged file is kept as " + kept : ""), e);
        }
    }

    /** A database of a newer huddle is not damaged, only newer: recovering it into this schema would lose data. */
    private static void refuseNewer(Path work, Path db) throws IOException {
        int version;
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + work)) {
            version = intOf(old, "PRAGMA user_version");
        } catch (SQLException unreadable) {
            return; // damaged where the version is: salvage what can be read
        }
        if (version > SqliteDatabase.MIGRATIONS.size()) {
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(work + suffix));
            throw new StoreException("the database " + db + " has schema version " + version + ", newer than this huddle knows ("
                    + SqliteDatabase.MIGRATIONS.size() + "); it is not damaged by that. Upgrade huddle instead of recovering it.");
        }
    }

    private static Recovery salvage(Path work, Path fresh, Path kept) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fresh)) {
            int version;
            List<String> tables;
            String unreadable = null;
            try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + work)) {
                version = intOf(old, "PRAGMA user_version");
                tables = tablesOf(old);
            } catch (SQLException e) {
                version = SqliteDatabase.MIGRATIONS.size(); // nothing readable: a new, empty database
                tables = List.of();
                unreadable = e.getMessage();
            }
            version = Math.min(version, SqliteDatabase.MIGRATIONS.size());
            SqliteDatabase.migrate(c, fresh, version); // the old schema, so rows copy column for column
            List<Recovery.Table> out = new ArrayList<>();
            if (!tables.isEmpty()) {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA foreign_keys = OFF");
                    st.execute("ATTACH DATABASE '" + work.toString().replace("'", "''") + "' AS old");
                }
                Map<String, long[]> counts = new LinkedHashMap<>();
                for (String t : tables) {
                    if (!tableExists(c, t)) continue;
                    counts.put(t, copyTable(c, t));
                }
                rebuildFullText(c);
                Map<String, Long> orphans = dropOrphans(c);
                try (Statement st = c.createStatement()) {
                    st.execute("DETACH DATABASE old");
                }
                counts.forEach((t, n) -> out.add(new Recovery.Table(t, n[0] - orphans.getOrDefault(t, 0L), n[1], orphans.getOrDefault(t, 0L))));
            }
            return new Recovery(fresh, kept, out, version, unreadable);
        } catch (SQLException e) {
            throw new StoreException("could not build the recovered database " + fresh + ": " + e.getMessage(), e);
        }
    }

    /** The old database's ordinary tables, in creation order; virtual tables and their shadows are rebuilt, not copied. */
    private static List<String> tablesOf(Connection old) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> virtual = new ArrayList<>();
        try (Statement st = old.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String sql = String.valueOf(rs.getString(2));
                if (sql.toUpperCase(java.util.Locale.ROOT).startsWith("CREATE VIRTUAL TABLE")) virtual.add(name);
                else if (!name.startsWith("sqlite_")) names.add(name);
            }
        }
        names.removeIf(n -> virtual.stream().anyMatch(v -> n.startsWith(v + "_")));
        return names;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Copies what can be read of one table; returns {copied, unreadable rowids}. */
    private static long[] copyTable(Connection c, String table) {
        long lo;
        long hi;
        try {
            lo = longOf(c, "SELECT coalesce(min(rowid), 1) FROM old." + quote(table));
            hi = longOf(c, "SELECT coalesce(max(rowid), 0) FROM old." + quote(table));
        } catch (SQLException damagedEnds) {
            lo = 1;
            hi = 1 << 24; // damaged at its ends: search the rowids a huddle database reaches
        }
        long[] n = new long[2];
        if (hi >= lo) copyRange(c, table, lo, hi, n);
        return n;
    }

    private static void copyRange(Connection c, String table, long lo, long hi, long[] n) {
        try (var ps = c.prepareStatement("INSERT OR IGNORE INTO main." + quote(table) + " SELECT * FROM old." + quote(table)
                + " WHERE rowid BETWEEN ? AND ?")) {
            ps.setLong(1, lo);
            ps.setLong(2, hi);
            n[0] += ps.executeUpdate();
        } catch (SQLException damaged) {
            if (lo == hi) {
                n[1]++;
                return;
            }
            long mid = lo + (hi - lo) / 2;
            copyRange(c, table, lo, mid, n);
            copyRange(c, table, mid + 1, hi, n);
        }
    }

    private static void rebuildFullText(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")) {
            List<String> fts = new ArrayList<>();
            while (rs.next()) fts.add(rs.getString(1));
            for (String t : fts) {
                try (Statement r = c.createStatement()) {
                    r.execute("INSERT INTO main." + quote(t) + "(" + quote(t) + ") VALUES ('rebuild')");
                }
            }
        }
    }

    /** Rows whose parent row was lost would break the hub's foreign keys: they go too. Returns how many per table. */
    private static Map<String, Long> dropOrphans(Connection c) throws SQLException {
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (int pass = 0; pass < 8; pass++) { // a dropped row can orphan its own children
            List<String[]> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA main.foreign_key_check")) {
                while (rs.next()) rows.add(new String[]{rs.getString(1), rs.getString(2)});
            }
            if (rows.isEmpty()) break;
            for (String[] r : rows) {
                if (r[1] == null) continue; // a WITHOUT ROWID table: none in huddle's schema
                try (var ps = c.prepareStatement("DELETE FROM main." + quote(r[0]) + " WHERE rowid = ?")) {
                    ps.setLong(1, Long.parseLong(r[1]));
                    if (ps.executeUpdate() > 0) dropped.merge(r[0], 1L, Long::sum);
                }
            }
        }
        return dropped;
    }

    private static int intOf(Connection c, String sql) throws SQLException {
        return (int) longOf(c, sql);
    }

    private static long longOf(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
