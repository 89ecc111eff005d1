package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

/** What failed statements say about the database ({@link SqliteDatabase#health()}), and who is told when that changes. */
final class Health {
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private final Path file;
    private volatile StoreHealth health = StoreHealth.OK;
    private StoreHealth announced = StoreHealth.OK; // guarded by this
    private final java.util.List<Consumer<StoreHealth>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    Health(Path file) {
        this.file = file;
    }

    StoreHealth now() {
        return health;
    }

    void listener(Consumer<StoreHealth> l) {
        listeners.add(l);
    }

    /** Fails at once on a database found corrupt: nothing more is read from or written to it. */
    void usable() {
        StoreHealth h = health;
        if (h.state() == StoreHealth.State.CORRUPT) {
            throw new StoreException("store-corrupt", corruptMessage(file, h.reason()), RECOVER_HINT, null);
        }
    }

    /**
     * The exception for a failed statement, after noting what it says about the database: a full disk or an I/O
     * error degrades it, SQLITE_CORRUPT or NOTADB marks it corrupt.
     */
    /** Whether SQLite may have rolled back the whole transaction after this error (not only the statement). */
    static boolean endsTransaction(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
                || primary == 5 /* BUSY */ || primary == 7 /* NOMEM */ || primary == 9 /* INTERRUPT */;
    }

    StoreException failure(String what, SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        String m = String.valueOf(e.getMessage());
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
            corrupt(m);
            return new StoreException("store-corrupt", corruptMessage(file, m), RECOVER_HINT, e);
        }
        String reason = switch (primary) {
            case SQLITE_FULL -> "the disk holding " + file.getParent() + " is full";
            case SQLITE_IOERR -> "the disk holding " + file + " fails to read or write";
            case SQLITE_READONLY, SQLITE_CANTOPEN -> "the database " + file + " cannot be written";
            default -> null;
        };
        if (reason == null) return new StoreException(what + ": " + m, e);
        degraded(reason + " (" + m + ")");
        return new StoreException("store-degraded", what + ": " + reason + "; nothing was written (" + m + ")",
                "Free space (or fix the disk): the hub recovers by itself, and nothing it acknowledged is lost. Retry then.", e);
    }

    synchronized void degraded(String reason) {
        if (health.state() == StoreHealth.State.OK) health = new StoreHealth(StoreHealth.State.DEGRADED, reason, Instant.now());
        else if (health.state() == StoreHealth.State.DEGRADED && !reason.equals(health.reason())) {
            health = new StoreHealth(StoreHealth.State.DEGRADED, reason, health.since());
        }
    }

    synchronized void corrupt(String reason) {
        if (health.state() != StoreHealth.State.CORRUPT) health = new StoreHealth(StoreHealth.State.CORRUPT, reason, Instant.now());
    }

    synchronized void healed() {
        if (health.state() == StoreHealth.State.DEGRADED) health = StoreHealth.OK;
    }

    /** Tells the listener of a change since the last time (call outside the database lock). */
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

    /** What the hub and its clients say about a corrupt database (here, not in SqliteDatabase: that depends on this). */
    static String corruptMessage(Path file, String found) {
        return "the database " + file + " is corrupt or is not a huddle database (" + found + "). huddle keeps the file as"
                + " it is and will not serve from it. " + RECOVER_HINT;
    }

    /** What a human does about a corrupt database. */
    static final String RECOVER_HINT = "Run `huddle hub recover`: it salvages what is readable into a new database and keeps"
            + " the damaged file aside (or restore a backup of huddle.db).";
}
