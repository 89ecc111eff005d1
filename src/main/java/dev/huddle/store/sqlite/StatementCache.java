package dev.huddle.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps prepared statements open across calls on the hub's one connection, by SQL text, so a hot query is
 * compiled by SQLite once instead of on every call (sqlite3_prepare of an INSERT with its FTS trigger, or of a
 * 25-column SELECT, costs tens of microseconds, and every one of them runs under the database lock).
 *
 * <p>The store code keeps its plain JDBC shape ({@code try (PreparedStatement ps = c.prepareStatement(sql))}):
 * {@link #view()} hands out a connection whose {@code prepareStatement(String)} returns the cached statement, and
 * whose statements' {@code close()} only closes the result set and clears the parameters. A statement still in use
 * when the same SQL is asked for again (a nested query) is not shared: the caller gets a fresh one. Not
 * thread-safe: {@link SqliteDatabase} uses it under its lock.
 */
final class StatementCache {
    private final Connection connection;
    private final int capacity;
    private final Map<String, Handle> entries;
    private final Connection view;

    StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Handle> eldest) {
                if (size() <= StatementCache.this.capacity || eldest.getValue().inUse) return false;
                closeQuietly(eldest.getValue().delegate);
                return true;
            }
        };
        this.view = new DelegatingConnection(connection) {
            @Override
            public PreparedStatement prepareStatement(String sql) throws SQLException {
                return prepare(sql);
            }
        };
    }

    /** The connection to hand to store code. */
    Connection view() {
        return view;
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Handle e = entries.get(sql);
        if (e != null && e.inUse) return connection.prepareStatement(sql); // nested use of the same SQL: not shared
        if (e == null) {
            e = new Handle(connection.prepareStatement(sql));
            entries.put(sql, e);
        }
        e.inUse = true;
        return e;
    }

    /** A cached statement as store code sees it: its {@code close()} gives it back instead of closing it. */
    private final class Handle extends DelegatingStatement {
        boolean inUse;
        ResultSet open; // the last executeQuery's result set, closed when the statement goes back

        Handle(PreparedStatement statement) {
            super(statement);
        }

        @Override
        public void close() throws SQLException {
            try {
                if (open != null && !open.isClosed()) open.close(); // resets the statement
                delegate.clearParameters();
            } finally {
                open = null;
                inUse = false;
            }
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            return open = delegate.executeQuery();
        }

        @Override
        public ResultSet executeQuery(String sql) throws SQLException {
            return open = delegate.executeQuery(sql);
        }

        @Override
        public boolean isClosed() {
            return !inUse;
        }

        @Override
        public Connection getConnection() {
            return view;
        }
    }

    /** Closes every cached statement (after a failure, or when the database closes). */
    void clear() {
        for (Handle e : entries.values()) closeQuietly(e.delegate);
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static void closeQuietly(PreparedStatement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // dropping it anyway
        }
    }
}
