package dev.huddle.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small pool of connections to one server: at most {@code size} open, made on demand, kept idle for reuse. A
 * connection handed back broken (its server restarted, the network cut) is closed, and the next borrow makes a fresh
 * one, so a hub reconnects by itself. A dozen lines instead of a pool library: the hub needs a handful of connections.
 */
final class ConnectionPool implements AutoCloseable {
    interface Factory {
        Connection connect() throws SQLException;
    }

    private final Factory factory;
    private final java.util.function.Consumer<Connection> closing;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>(); // guarded by this
    private volatile boolean closed;

    /** @param closing told of each connection the pool closes, before it does */
    ConnectionPool(Factory factory, int size, java.util.function.Consumer<Connection> closing) {
        this.factory = factory;
        this.closing = closing;
        this.permits = new Semaphore(size, true);
    }

    Connection borrow() throws SQLException {
        if (closed) throw new SQLException("the store is closed", "08003");
        try {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) throw new SQLException("no database connection free for 60 s", "08004");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", "08004", e);
        }
        Connection c;
        synchronized (this) {
            c = idle.pollFirst();
        }
        if (c != null) return c;
        try {
            return factory.connect();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Takes a connection back; a broken one is closed instead of kept. */
    void giveBack(Connection c, boolean broken) {
        boolean keep = !broken && !closed;
        try {
            keep = keep && !c.isClosed();
        } catch (SQLException e) {
            keep = false;
        }
        if (keep) {
            synchronized (this) {
                idle.addFirst(c);
            }
        } else {
            discard(c);
        }
        permits.release();
    }

    /** Closes the idle connections (after a failure: they are likely broken the same way). */
    void dropIdle() {
        Deque<Connection> drop;
        synchronized (this) {
            drop = new ArrayDeque<>(idle);
            idle.clear();
        }
        drop.forEach(this::discard);
    }

    private void discard(Connection c) {
        closing.accept(c);
        closeQuietly(c);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection
        }
    }

    @Override
    public void close() {
        closed = true;
        dropIdle();
    }
}
