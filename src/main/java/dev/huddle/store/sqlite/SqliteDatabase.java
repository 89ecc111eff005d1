package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import dev.huddle.store.Transactor;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
    static final List<String> MIGRATIONS = Migrations.SCRIPTS;

    private final Path file;
    private final Connection connection;
    /** Hot statements stay prepared (see StatementCache); guarded by lock like the connection. */
    private final StatementCache statements;
    private final TransactionVerbs verbs; // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private int depth; // transaction nesting, guarded by lock
    private Batch open; // a batch begun and not committed, between its members (group commit); guarded by lock
    private long writes; // rows written so far (SQLite's update hook), guarded by lock
    /** Tables written since the last commit (SQLite's update hook, on the writing thread, under lock). */
    private final Set<String> written = new TreeSet<>();
    private volatile Consumer<Set<String>> changeListener = tables -> {};
    private final Health health;

    private SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.statements = new StatementCache(connection, 64);
        this.verbs = new TransactionVerbs(connection, statements);
        this.health = new Health(file);
    }

    public static SqliteDatabase open(Path file) {
        Connection c = null;
        try {
            if (Files.exists(file) && !Files.isReadable(file)) {
                throw new StoreException("the database " + file + " is not readable by this user; fix its permissions (chmod 600) or move it aside");
            }
            c = DriverManager.getConnection("jdbc:sqlite:" + file
                    + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=true&busy_timeout=5000&temp_store=MEMORY");
            SqliteDatabase db = new SqliteDatabase(file, c);
            db.migrate();
            // after the migrations: they are nobody's news
            c.unwrap(org.sqlite.SQLiteConnection.class).addUpdateListener((type, database, table, rowId) -> {
                db.written.add(table);
                db.writes++;
            });
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
        Migrations.migrate(connection, file, target);
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
                writes++; // a write no row count sees: its transaction waits for the commit
                return null;
            }));
            health.healed();
            health.announce();
        } catch (StoreException stillFailing) {
            // still degraded (or worse): health says which
        }
        return health.now().ok();
    }

    /** Work on the connection under the lock, outside or inside a transaction. */
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on the connection: inside the caller's transaction when it is in one, else in autocommit. A
     * batch of transactions still open between its members (group commit, see {@link #inTransactionLater}) commits
     * first, so a read outside a transaction sees only committed rows: what it returns is never rolled back later.
     */
    public <T> T query(SqlWork<T> work) {
        Set<String> committed = null;
        lock.lock();
        try {
            health.usable();
            if (depth == 0 && open != null) committed = commitOpen();
            long before = writes;
            T result = work.run(statements.view());
            if (depth == 0 && writes != before) health.healed(); // autocommit: a write went through
            return result;
        } catch (SQLException e) {
            statements.clear(); // a statement that failed may be left in any state
            throw health.failure("database error", e);
        } finally {
            handOn(depth == 0 ? union(committed, takeWritten()) : null); // autocommit: what it wrote is committed now
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (a == null) return b;
        if (b == null) return a;
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
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
        return inTransactionLater(work).get();
    }

    /**
     * Group commit: transactions that arrive while another's work or commit holds the connection join one batch, a
     * single SQLite transaction in which each runs under a savepoint of its own (a failing one rolls back only its
     * own work), and the batch commits once (see {@link #await}). The returned supplier waits for that commit and
     * throws if it failed, so a caller acknowledges nothing before it is durable; a transaction that wrote nothing
     * does not wait. A read outside a transaction commits an open batch before it reads ({@link #query}), so nobody
     * sees what a batch wrote before it is durable; a failed commit fails every member that wrote.
     */
    @Override
    public <T> Supplier<T> inTransactionLater(Supplier<T> work) {
        lock.lock();
        Batch mine;
        T result;
        boolean wrote = false;
        try {
            if (depth > 0) {
                depth++;
                try {
                    T nested = work.get();
                    return () -> nested;
                } finally {
                    depth--;
                }
            }
            health.usable();
            if (open == null) {
                verbs.begin();
                open = new Batch();
            }
            mine = open;
            boolean guarded = mine.members > 0; // earlier members' writes stay whatever this one does
            if (guarded) verbs.savepoint();
            long before = writeMark();
            depth = 1;
            boolean done = false;
            try {
                result = work.get();
                if (guarded) verbs.release();
                done = true;
            } finally {
                depth = 0;
                if (!done) undo(mine, guarded);
            }
            wrote = writeMark() != before;
            if (wrote) mine.members++; // its commit is up to await, outside the caller's own locks
        } catch (SQLException e) {
            throw health.failure("database transaction failed", e);
        } finally {
            if (depth > 0 || wrote) lock.unlock();
            else handOn(null); // wrote nothing, or failed: it leaves an open batch to the next holder, or commits it
        }
        T r = result;
        if (!wrote) return () -> r; // a read: nothing to wait for
        Batch b = mine;
        return () -> {
            await(b);
            return r;
        };
    }

    /**
     * Grows with every row written: the update hook's count, and SQLite's own count of changed rows (which also sees
     * what the hook does not, such as a DELETE of a whole table).
     */
    private long writeMark() throws SQLException {
        return writes + connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().total_changes();
    }

    /** How long a member gives others to join before it commits, while commits carry several (see await). */
    private static final long GATHER_NANOS = 50_000;
    /** Whether the last commit carried more than one member: a burst is on. */
    private volatile boolean contended;

    /** Most transactions one commit carries. */
    static final int MAX_BATCH = 64;

    /**
     * Waits until {@code b} committed (or failed). A member commits the batch itself unless another thread is queued
     * for the connection (it joins, or commits on its way out): then it waits for that, at most a millisecond, and
     * commits what has gathered by then.
     */
    private void await(Batch b) {
        if (b.done.getCount() > 0 && lock.isHeldByCurrentThread()) { // its own transaction holds the batch open
            throw new IllegalStateException("a commit was awaited inside a transaction of the same thread");
        }
        boolean interrupted = false;
        boolean force = false;
        try {
            // A sender waiting for its recipient's lock, which the caller just let go, gets to join first: a moment
            // while commits carry several members (a burst), a yield of the carrier otherwise (a lone call's latency).
            if (contended) LockSupport.parkNanos(GATHER_NANOS);
            else Thread.yield();
            while (b.done.getCount() > 0) {
                Set<String> changed = null;
                boolean wait = false;
                lock.lock();
                try {
                    if (open == b && depth == 0) {
                        wait = !force && b.members < MAX_BATCH && lock.hasQueuedThreads();
                        if (!wait) changed = commitOpen();
                    }
                } finally {
                    if (wait) lock.unlock();
                    else handOn(changed);
                }
                if (!wait) continue;
                try {
                    b.done.await(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the commit decides, not the interrupt: the caller must know which it was
                }
                force = true;
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        b.check();
    }

    /** Commits the open batch (under the lock, between members); returns the tables it wrote, null if none or failed. */
    private Set<String> commitOpen() {
        Batch b = open;
        open = null;
        contended = b.members > 1;
        try {
            verbs.commit();
            Set<String> changed = takeWritten();
            if (changed != null) health.healed(); // a write went through: the disk takes writes again
            return changed;
        } catch (SQLException e) {
            b.failure = health.failure("database transaction failed", e);
            verbs.rollbackQuietly();
            takeWritten(); // rolled back: nothing happened
            return null;
        } finally {
            b.done.countDown();
        }
    }

    /** Commits the open batch if nobody queued for the lock will (each holder hands on); unlocks; tells listeners. */
    private void handOn(Set<String> changed) {
        try {
            if (changed == null && open != null && depth == 0 && !lock.hasQueuedThreads()) changed = commitOpen();
        } finally {
            lock.unlock();
            announce(changed);
            health.announce();
        }
    }

    /**
     * Undoes a failed member: its savepoint, or (the batch's first member, or a transaction SQLite already ended, as
     * on SQLITE_FULL) the whole batch, whose other members then fail too.
     */
    private void undo(Batch b, boolean savepoint) {
        statements.clear(); // a statement still stepping would make a rollback fail
        if (savepoint) {
            try {
                verbs.rollbackToSavepoint();
                return;
            } catch (SQLException gone) {
                if (b.failure == null) b.failure = health.failure("database transaction failed", gone);
            }
        }
        if (b.failure == null && b.members > 0) {
            b.failure = new StoreException("store-error", "the database transaction was rolled back (a call"
                    + " committed together with this one failed on the database); nothing of this call was written", "Retry.", null);
        }
        open = null;
        verbs.rollbackQuietly();
        takeWritten();
        b.done.countDown();
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
            if (open != null) commitOpen(); // its members are told; nobody else is left to commit it
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
