package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import dev.huddle.store.Transactor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A hub's PostgreSQL store, shared with the hubs of other machines: a small pool of connections, the numbered
 * migrations ({@link PgMigrations}), and transactions with the SQLite store's semantics.
 *
 * <p>One writer at a time, as on SQLite: every transaction (and every write outside one, which runs as one) takes a
 * transaction-scoped advisory lock that all hubs of the database share, and within this hub a lock, so a
 * read-then-write decision (a name, a claim, one wake per reply) is never interleaved with another, and message
 * {@code seq} numbers commit in order (a {@code log --follow} reader after seq n never misses a row committed later
 * with a smaller one). Reads outside a transaction run in parallel on the pool's other connections. A transaction's
 * statements run on a connection bound to its thread, so nested calls join the outer transaction.
 *
 * <p>Every connection names its machine ({@code huddle.machine}, which the tables' {@code machine} columns default to),
 * so each row records the machine that wrote it. {@link #onChange} is told of this hub's commits at once and, through
 * {@code LISTEN}/{@code NOTIFY} ({@link PgChangeFeed}), of other hubs' commits.
 */
public final class PostgresDatabase implements Transactor, AutoCloseable {
    private static final int POOL_SIZE = 4;
    /** How long the server lets a session of this hub sit idle inside a transaction before it ends it (and its locks). */
    static final String IDLE_IN_TRANSACTION = "20s";
    private static final String IDLE_SETTING = "SELECT set_config('idle_in_transaction_session_timeout', ?, false)";

    /** Work on a connection (the transaction's, when there is one). */
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static final class Tx {
        final Connection connection;
        boolean wrote;

        Tx(Connection connection) {
            this.connection = connection;
        }
    }

    private final PostgresTarget target;
    private volatile String machine;
    private volatile PgRole role;
    private final ConnectionPool pool;
    private final PgHealth health;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Runnable changeListener = () -> {};
    private volatile java.util.function.Consumer<java.util.Set<String>> otherHubsListener = tables -> {};
    private volatile java.util.function.BiConsumer<String, Long> beatNotices = (payload, at) -> {};
    private final PgChangeFeed feed;
    /** Connections outside the pool (the heartbeat's), made like the pool's. */
    private final ConnectionPool.Factory alone;
    /** The server processes of this hub's pooled connections: their notifications are this hub's commits, told already. */
    private final java.util.Map<Connection, Integer> ownBackends = new java.util.concurrent.ConcurrentHashMap<>();

    private PostgresDatabase(PostgresTarget target, String password, String machine) {
        this.target = target;
        this.machine = machine;
        this.health = new PgHealth(target);
        // this.machine, not machine: a per-machine role's own name replaces it before any other connection is made
        this.pool = new ConnectionPool(() -> own(connect(target, password, this.machine)), POOL_SIZE, c -> ownBackends.remove(c));
        this.feed = new PgChangeFeed(() -> connect(target, password, this.machine, 15), this::otherHubCommitted, ownBackends::containsValue,
                (payload, at) -> beatNotices.accept(payload, at));
        this.alone = () -> connect(target, password, this.machine, 15);
    }

    /**
     * Connects, migrates and starts listening for other hubs' commits. Fails with a message that says what to do when
     * the server cannot be reached, refuses the login or holds a newer schema. {@code machine} counts as named by the
     * user (a per-machine role's machine must be the same).
     */
    public static PostgresDatabase open(PostgresTarget target, String password, String machine) {
        return open(target, password, machine, true);
    }

    /**
     * As {@link #open(PostgresTarget, String, String)}. A per-machine role (docs/team.md) writes as the machine the
     * database maps it to: that name replaces {@code machine}, unless {@code named} (the user set HUDDLE_MACHINE) and
     * they differ, which is refused. Such a role never migrates: a schema behind this huddle is refused, naming the
     * administrator's command.
     */
    public static PostgresDatabase open(PostgresTarget target, String password, String machine, boolean named) {
        PgTls.checkFiles(target);
        PostgresDatabase db = new PostgresDatabase(target, password, machine);
        Connection c = null;
        try {
            c = db.pool.borrow();
            PgRole role = PgRole.of(c);
            db.role = role;
            if (role.machine() != null) {
                if (named && !role.machine().equals(machine)) throw MachineRoles.otherMachine(target, role, machine);
                db.machine = role.machine();
                nameMachine(c, role.machine());
                PgMigrations.check(c, target.toString(), role);
            } else if (role.readOnly()) {
                throw MachineRoles.unlisted(target, role);
            } else {
                PgMigrations.migrate(c, target.toString(), machine);
            }
            db.pool.giveBack(c, false);
            c = null;
            db.feed.start();
            return db;
        } catch (SQLException e) {
            if (c != null) db.pool.giveBack(c, true);
            db.pool.close();
            StoreException failure = db.health.failure("cannot open the PostgreSQL store " + target, e);
            throw new StoreException(failure.code(), failure.getMessage(), failure.hint(), e);
        } catch (RuntimeException e) {
            if (c != null) db.pool.giveBack(c, true);
            db.pool.close();
            throw e;
        }
    }

    private Connection own(Connection c) throws SQLException {
        ownBackends.put(c, c.unwrap(org.postgresql.PGConnection.class).getBackendPID());
        return c;
    }

    static Connection connect(PostgresTarget target, String password, String machine) throws SQLException {
        return connect(target, password, machine, 120);
    }

    static Connection connect(PostgresTarget target, String password, String machine, int socketTimeoutS) throws SQLException {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutS)); // a cut network fails a statement instead of hanging it
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "huddle hub");
        p.putAll(target.params());
        String pemKey = PgClientCert.pemKeyAlgorithm(target); // read at each connection: a key replaced on disk is used from the next
        if (pemKey != null) p.setProperty(PgClientCert.PEM_ALGORITHM, pemKey);
        PgPkcs12.driverProperties(target, p);
        p.setProperty("user", target.user());
        if (password != null) p.setProperty("password", password);
        Connection c = DriverManager.getConnection(target.jdbcUrl(), p);
        try {
            if (machine != null) nameMachine(c, machine);
            // A hub whose network goes silent mid-transaction holds the write lock all hubs share until the server gives
            // up on its session: the server ends one idle in a transaction after IDLE_IN_TRANSACTION, so the other
            // machines wait that long at most (the hub's transactions never idle between statements for more than a moment).
            try (PreparedStatement ps = c.prepareStatement(IDLE_SETTING)) {
                ps.setString(1, IDLE_IN_TRANSACTION);
                ps.execute();
            }
        } catch (SQLException e) {
            ConnectionPool.closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** What the tables' machine columns default to on this connection. */
    private static void nameMachine(Connection c, String machine) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('huddle.machine', ?, false)")) {
            ps.setString(1, machine);
            ps.execute();
        }
    }

    public PostgresTarget target() {
        return target;
    }

    /** The machine this hub writes as: a per-machine role's own, else the one the hub was given. */
    public String machine() {
        return machine;
    }

    /** Who this hub's connections write as (a per-machine role, or one that writes as any machine). */
    public PgRole role() {
        return role;
    }

    /** Reads: on the transaction's connection inside one, else on any pooled connection (retried once on a fresh one
     * when the pooled one turns out broken, as after a server restart). */
    public <T> T read(SqlWork<T> work) {
        Tx tx = current.get();
        if (tx != null) return run(tx.connection, work);
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = pool.borrow();
            } catch (SQLException e) {
                throw fail("database error", e);
            }
            boolean broken = false;
            try {
                T result = work.run(c);
                health.healed();
                return result;
            } catch (SQLException e) {
                broken = PgHealth.connectionLost(e);
                if (broken) pool.dropIdle();
                if (broken && attempt == 1) continue;
                throw fail("database error", e);
            } finally {
                pool.giveBack(c, broken);
                health.announce();
            }
        }
    }

    /** Writes: in the current transaction, or in one of its own. */
    public <T> T write(SqlWork<T> work) {
        return inTransaction(() -> {
            Tx tx = current.get();
            tx.wrote = true;
            return run(tx.connection, work);
        });
    }

    private <T> T run(Connection c, SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw fail("database error", e);
        }
    }

    private StoreException fail(String what, SQLException e) {
        StoreException failure = health.failure(what, e);
        health.announce();
        return failure;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) return work.get(); // joins the outer transaction
        writeLock.lock();
        Tx tx = null;
        boolean ok = false;
        try {
            tx = begin();
            current.set(tx);
            T result = work.get();
            try {
                tx.connection.commit();
            } catch (SQLException e) {
                // the server may have committed before the connection dropped: say so instead of "nothing was written"
                StoreException failure = health.failureAtCommit("database transaction failed", e);
                health.announce();
                throw failure;
            }
            ok = true;
            health.healed();
            return result;
        } catch (SQLException e) {
            throw fail("database transaction failed", e);
        } finally {
            current.remove();
            boolean broken = false;
            if (tx != null) {
                if (!ok) broken = !rollbackQuietly(tx.connection);
                try {
                    tx.connection.setAutoCommit(true);
                } catch (SQLException e) {
                    broken = true;
                }
                pool.giveBack(tx.connection, broken);
            }
            writeLock.unlock();
            health.announce();
            if (ok && tx.wrote) announce();
        }
    }

    /** A connection in a transaction holding the write lock; one found broken before any work is replaced once. */
    private Tx begin() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection c = pool.borrow();
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_xact_lock(" + PgMigrations.LOCK_SPACE + ", " + PgMigrations.LOCK_WRITE + ")");
                }
                return new Tx(c);
            } catch (SQLException e) {
                boolean lost = PgHealth.connectionLost(e);
                pool.giveBack(c, true);
                if (lost) pool.dropIdle();
                if (!lost || attempt > 1) throw e;
            }
        }
    }

    private static boolean rollbackQuietly(Connection c) {
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void announce() {
        try {
            changeListener.run();
        } catch (RuntimeException ignored) {
            // a listener's failure is not the writer's
        }
    }

    /**
     * Told after each commit that wrote rows: this hub's at once, on the committing thread, and every other hub's when its
     * notification arrives, on the listening thread. Keep it quick.
     */
    public void onChange(Runnable listener) {
        this.changeListener = listener == null ? () -> {} : listener;
    }

    /**
     * Told after each commit of another hub's, when its notification arrives, on the listening thread (after
     * {@link #onChange}), with the tables it wrote (their triggers' notifications), or null when not known.
     */
    public void onOtherHubsChange(java.util.function.Consumer<java.util.Set<String>> listener) {
        this.otherHubsListener = listener == null ? tables -> {} : listener;
    }

    private void otherHubCommitted(java.util.Set<String> tables) {
        try {
            changeListener.run();
        } finally {
            otherHubsListener.accept(tables);
        }
    }

    /** Told each hub heartbeat's notice as this hub's listening connection gets it: its payload, and the nanoTime then. */
    void onBeatNotice(java.util.function.BiConsumer<String, Long> listener) {
        this.beatNotices = listener;
    }

    public StoreHealth health() {
        return health.now();
    }

    public void onHealth(Consumer<StoreHealth> listener) {
        health.listener(listener);
    }

    /** Tries a round trip while degraded; returns whether the store is healthy now. */
    public boolean probe() {
        try {
            read(c -> {
                try (Statement st = c.createStatement()) {
                    return st.execute("SELECT 1");
                }
            });
        } catch (StoreException stillFailing) {
            // health says why
        }
        return health.now().ok();
    }

    /** A connection of its own, outside the pool (its statements time out after 15 s); the caller closes it. */
    Connection connectAlone() throws SQLException {
        return alone.connect();
    }

    public int schemaVersion() {
        return read(PgMigrations::version);
    }

    public static int latestSchemaVersion() {
        return PgMigrations.MIGRATIONS.size();
    }

    @Override
    public void close() {
        feed.close();
        pool.close();
    }
}
