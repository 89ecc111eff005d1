package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import dev.huddle.store.Transactor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The hub's SQLite database: WAL, foreign keys, numbered migrations tracked in {@code PRAGMA user_version}.
 * The hub is the only writer, so one connection guarded by a lock serves all work; queries take microseconds.
 * A database that is unreadable, corrupt or from a newer huddle makes {@link #open} fail with a clear message:
 * huddle never silently replaces a database.
 *
 * <p>Transactions are SQL ({@code BEGIN}/{@code COMMIT}/{@code ROLLBACK}) on a connection left in JDBC autocommit, so
 * the driver's idea of the transaction never parts from SQLite's: after a failed write (SQLITE_FULL rolls the
 * transaction back by itself) the next one starts clean. {@link #health()} says whether writes work: a full disk or an
 * I/O error makes it {@code degraded} until a write succeeds again ({@link #probe()} tries one); SQLITE_CORRUPT makes
 * it {@code corrupt} for good, and every later call fails at once saying how to recover.
 */
public final class SqliteDatabase implements Transactor, AutoCloseable {

    /** Migration scripts in order; the number in the name is the schema version it produces. */
    static final List<String> MIGRATIONS = List.of("db/V001__agents.sql", "db/V002__messages.sql", "db/V003__hooks.sql", "db/V004__wakes.sql",
            "db/V005__wake_timers.sql", "db/V006__read.sql", "db/V007__deferred_wakes.sql", "db/V008__claims.sql",
            "db/V009__implicit_claims.sql", "db/V010__cockpit_indexes.sql", "db/V011__agent_reference_indexes.sql",
            "db/V012__wake_history_index.sql");

    private final Path file;
    private final Connection connection;
    /** Hot statements stay prepared (see StatementCache); guarded by lock like the connection. */
    private final StatementCache statements;
    private final ReentrantLock lock = new ReentrantLock();
    private int depth; // transaction nesting, guarded by lock
    /** Tables written since the last commit (SQLite's update hook, on the writing thread, under lock). */
    private final Set<String> written = new TreeSet<>();
    private volatile Consumer<Set<String>> changeListener = tables -> {};
    private final Health health;

    private SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.statements = new StatementCache(connection, 64);
        this.health = new Health(file);
    }

    public static SqliteDatabase open(Path file) {
        Connection c = null;
        try {
            if (Files.exists(file) && !Files.isReadable(file)) {
                throw new StoreException("the database " + file + " is not readable by this user; fix its permissions (chmod 600) or move it aside");
            }
            c = DriverManager.getConnection("jdbc:sqlite:" + file
                    + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=true&busy_timeout=5000");
            SqliteDatabase db = new SqliteDatabase(file, c);
            db.migrate();
            // after the migrations: they are nobody's news
            c.unwrap(org.sqlite.SQLiteConnection.class).addUpdateListener((type, database, table, rowId) -> db.written.add(table));
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException(describe(file, e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static String describe(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("NOTADB") || m.contains("not a database") || m.contains("CORRUPT") || m.contains("malformed")) {
            return corruptMessage(file, m);
        }
        if (m.contains("READONLY") || m.contains("CANTOPEN") || m.contains("PERM")) {
            return "cannot open the database " + file + " for writing (" + m + "); check its permissions and the disk";
        }
        return "cannot open the database " + file + ": " + m;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }

    /** Applies every migration newer than the file's {@code user_version}, each in its own transaction. */
    private void migrate() throws SQLException {
        migrate(connection, file, MIGRATIONS.size());
    }

    /** Applies the migrations after the file's version up to {@code target}, each in its own transaction. */
    static void migrate(Connection connection, Path file, int target) throws SQLException {
        int current;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > MIGRATIONS.size()) {
            throw new StoreException("the database " + file + " has schema version " + current
                    + " but this huddle knows only up to " + MIGRATIONS.size()
                    + "; it was written by a newer huddle. Upgrade huddle (or run the newer one).");
        }
        for (int v = current + 1; v <= target; v++) {
            String sql = resource(MIGRATIONS.get(v - 1));
            try (Statement st = connection.createStatement()) {
                st.execute("BEGIN");
                try {
                    for (String stmt : splitStatements(sql)) st.executeUpdate(stmt);
                    st.executeUpdate("PRAGMA user_version = " + v);
                    st.execute("COMMIT");
                } catch (SQLException e) {
                    try {
                        st.execute("ROLLBACK");
                    } catch (SQLException alreadyRolledBack) {
                        // SQLite ended it itself
                    }
                    throw new StoreException("migration to schema version " + v + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    public int schemaVersion() {
        return query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    public static int latestSchemaVersion() {
        return MIGRATIONS.size();
    }

    /** {@code ok}, or what SQLite's quick_check found (the database is {@code corrupt} then). */
    public String quickCheck() {
        String found = query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check(5)")) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) b.append(b.isEmpty() ? "" : "; ").append(rs.getString(1));
                return b.toString();
            }
        });
        if (!"ok".equals(found)) {
            health.corrupt("quick_check: " + found);
            health.announce();
        }
        return found;
    }

    /** The message of a corrupt database, and the way out. */
    public static String corruptMessage(Path file, String found) {
        return Health.corruptMessage(file, found);
    }

    /** What a human does about a corrupt database. */
    public static final String RECOVER_HINT = Health.RECOVER_HINT;

    /** Whether writes work now; see the class comment. */
    public StoreHealth health() {
        return health.now();
    }

    /** Adds a listener told (outside the database lock) each time {@link #health()} changes. Keep it quick. */
    public void onHealth(Consumer<StoreHealth> listener) {
        health.listener(listener);
    }

    /**
     * While degraded: tries one small write (the schema version, rewritten as it is) and is healthy again when it
     * commits. Returns whether the database is healthy now.
     */
    public boolean probe() {
        if (health.now().state() != StoreHealth.State.DEGRADED) return health.now().ok();
        try {
            inTransaction(() -> query(c -> {
                int v;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    v = rs.next() ? rs.getInt(1) : 0;
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("PRAGMA user_version = " + v); // rewrites page 1: needs the disk like any write
                }
                return null;
            }));
            health.healed();
            health.announce();
        } catch (StoreException stillFailing) {
            // still degraded (or worse): health says which
        }
        return health.now().ok();
    }

    /**
     * Splits a migration script into statements at a ';' that ends a line. Trigger bodies contain ';' of their
     * own, so inside a CREATE TRIGGER the statement ends only at its END line.
     */
    static List<String> splitStatements(String sql) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inTrigger = false;
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) continue;
            if (cur.isEmpty() && t.toUpperCase(java.util.Locale.ROOT).startsWith("CREATE TRIGGER")) inTrigger = true;
            cur.append(line).append('\n');
            boolean ends = inTrigger ? t.toUpperCase(java.util.Locale.ROOT).matches("END;?") : t.endsWith(";");
            if (ends) {
                String stmt = cur.toString().strip();
                if (stmt.endsWith(";")) stmt = stmt.substring(0, stmt.length() - 1);
                out.add(stmt);
                cur.setLength(0);
                inTrigger = false;
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = SqliteDatabase.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new StoreException("missing migration resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + name, e);
        }
    }

    /** Work on the connection under the lock, outside or inside a transaction. */
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T query(SqlWork<T> work) {
        Set<String> changed = null;
        lock.lock();
        try {
            health.usable();
            T result = work.run(statements.view());
            if (depth == 0 && !written.isEmpty()) health.healed(); // autocommit: a write went through
            return result;
        } catch (SQLException e) {
            statements.clear(); // a statement that failed may be left in any state
            throw health.failure("database error", e);
        } finally {
            if (depth == 0) changed = takeWritten(); // autocommit: what it wrote is committed now
            lock.unlock();
            announce(changed);
            health.announce();
        }
    }

    /**
     * Told, after each commit that wrote rows, which tables it wrote (outside the database lock, on the committing
     * thread): how the hub's live views learn of news without polling. Keep it quick.
     */
    public void onChange(Consumer<Set<String>> listener) {
        this.changeListener = listener == null ? tables -> {} : listener;
    }

    private Set<String> takeWritten() {
        if (written.isEmpty()) return null;
        Set<String> copy = Set.copyOf(written);
        written.clear();
        return copy;
    }

    private void announce(Set<String> changed) {
        if (changed == null) return;
        try {
            changeListener.accept(changed);
        } catch (RuntimeException ignored) {
            // a listener's failure is not the writer's
        }
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Set<String> changed = null;
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.get();
                } finally {
                    depth--;
                }
            }
            health.usable();
            execute("BEGIN");
            depth = 1;
            boolean ok = false;
            try {
                T result = work.get();
                execute("COMMIT");
                ok = true;
                return result;
            } finally {
                depth = 0;
                if (!ok) rollbackQuietly();
                changed = takeWritten();
                if (!ok) changed = null; // rolled back: nothing happened
                else if (changed != null) health.healed(); // a write went through: the disk takes writes again
            }
        } catch (SQLException e) {
            throw health.failure("database transaction failed", e);
        } finally {
            lock.unlock();
            announce(changed);
            health.announce();
        }
    }

    /** A transaction statement, on a statement of its own (a prepared one that failed once is not to be trusted). */
    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Ends a failed transaction. SQLite may have rolled it back already (it does on SQLITE_FULL and some I/O errors):
     * then there is nothing to roll back, and that is fine.
     */
    private void rollbackQuietly() {
        statements.clear(); // a statement still stepping would make ROLLBACK fail
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                java.util.logging.Logger.getLogger(SqliteDatabase.class.getName()).warning("rollback failed: " + e.getMessage());
            }
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Checkpoints and closes. A database found corrupt is left as SQLite last wrote it: closing would checkpoint the
     * WAL into the damaged file, and the file is kept for {@code huddle hub recover} (the process exits anyway).
     */
    @Override
    public void close() {
        if (health.now().state() == StoreHealth.State.CORRUPT) return;
        lock.lock();
        try {
            statements.clear();
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException ignored) {
                // closing anyway; the WAL is replayed on next open
            }
            connection.close();
        } catch (SQLException ignored) {
            // closing
        } finally {
            lock.unlock();
        }
    }
}
