package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Whether the PostgreSQL store serves ({@link PostgresDatabase#health()}): {@code degraded} while the server cannot be
 * reached or refuses writes for a reason outside huddle (it restarts, the network is cut, its disk is full), healed
 * by the next statement that goes through; the pool reconnects by itself. A server never makes the store
 * {@code corrupt}: damage there is the server's to report.
 */
final class PgHealth {
    private final PostgresTarget target;
    private final String where;
    private volatile StoreHealth health = StoreHealth.OK;
    private StoreHealth announced = StoreHealth.OK; // guarded by this
    private final List<Consumer<StoreHealth>> listeners = new CopyOnWriteArrayList<>();

    PgHealth(PostgresTarget target) {
        this.target = target;
        this.where = target.host() + ":" + target.port() + "/" + target.database();
    }

    StoreHealth now() {
        return health;
    }

    void listener(Consumer<StoreHealth> l) {
        listeners.add(l);
    }

    /**
     * Whether the failure is the connection's (the server is gone or going, or ended the session: 25P03 when it sat
     * idle in a transaction too long, as a hub whose network went silent does): the connection is not reused then.
     */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("25P03");
    }

    /**
     * The exception for a failed COMMIT: when the connection was lost, the server may have committed or not, and the
     * caller cannot know which (another failure is as {@link #failure}).
     */
    StoreException failureAtCommit(String what, SQLException e) {
        StoreException f = failure(what, e);
        if (!connectionLost(e)) return f;
        return new StoreException(f.code(), f.getMessage().replace("nothing was written", "the connection was lost while committing,"
                + " so it may or may not have been written"), "Check whether it took effect before you retry (the hub reconnects by"
                + " itself; nothing it acknowledged is lost).", e);
    }

    /** The exception for a failed statement, after noting what it says about the server. */
    StoreException failure(String what, SQLException e) {
        String state = String.valueOf(e.getSQLState());
        String m = String.valueOf(e.getMessage());
        StoreException tls = PgTls.refusal(what, target, e);
        if (tls != null) { // before connectionLost: the driver reports a refused certificate as a failed connection
            degraded(tls.getMessage());
            return tls;
        }
        if (connectionLost(e)) {
            degraded("cannot reach PostgreSQL at " + where + " (" + m + ")");
            return new StoreException("store-degraded", what + ": cannot reach PostgreSQL at " + where + "; nothing was written (" + m + ")",
                    "Check that the server is up and reachable (`huddle doctor`): the hub reconnects by itself, and nothing it"
                            + " acknowledged is lost. Retry then.", e);
        }
        if (state.equals("53100") || state.equals("53200") || state.startsWith("58")) {
            degraded("PostgreSQL at " + where + " cannot write (" + m + ")");
            return new StoreException("store-degraded", what + ": PostgreSQL at " + where + " cannot write; nothing was written (" + m + ")",
                    "Ask the database's administrator to free space or fix the server; the hub recovers by itself.", e);
        }
        if (state.startsWith("28")) {
            return new StoreException("store-error", what + ": PostgreSQL at " + where + " refused the login (" + m + ")",
                    "Check the user in " + Settings.STORE_URL.key() + " and the password (PGPASSWORD, ~/.pgpass or " + Settings.STORE_PASSWORD_FILE.key() + ").", e);
        }
        if (state.equals("42501")) return MachineRoles.refused(what, where, e);
        return new StoreException(what + ": " + m, e);
    }

    synchronized void degraded(String reason) {
        if (health.state() == StoreHealth.State.OK) health = new StoreHealth(StoreHealth.State.DEGRADED, reason, Instant.now());
        else if (!reason.equals(health.reason())) health = new StoreHealth(StoreHealth.State.DEGRADED, reason, health.since());
    }

    void healed() {
        if (health.ok()) return; // the common case, without the lock
        synchronized (this) {
            health = StoreHealth.OK;
        }
    }

    /** Tells the listeners of a change since the last time (call outside any lock). */
    void announce() {
        StoreHealth now;
        synchronized (this) {
            now = health;
            if (now.equals(announced)) return;
            announced = now;
        }
        for (Consumer<StoreHealth> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException ignored) {
                // a listener's failure is not the database's
            }
        }
    }
}
