package dev.huddle.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
    private final Map<String, Cached> entries;
    private final Connection view;

    private static final class Cached {
        final PreparedStatement statement;
        final PreparedStatement handle;
        boolean inUse;
        ResultSet open; // the last executeQuery's result set, closed when the statement goes back

        Cached(PreparedStatement statement, PreparedStatement handle) {
            this.statement = statement;
            this.handle = handle;
        }
    }

    StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                if (size() <= StatementCache.this.capacity || eldest.getValue().inUse) return false;
                closeQuietly(eldest.getValue().statement);
                return true;
            }
        };
        this.view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                this::onConnection);
    }

    /** The connection to hand to store code. */
    Connection view() {
        return view;
    }

    private Object onConnection(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getName().equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
            return prepare(sql);
        }
        return invoke(connection, m, args);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Cached e = entries.get(sql);
        if (e != null && e.inUse) return connection.prepareStatement(sql); // nested use of the same SQL: not shared
        if (e == null) {
            PreparedStatement real = connection.prepareStatement(sql);
            Cached[] holder = new Cached[1];
            PreparedStatement handle = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[]{PreparedStatement.class}, statementHandler(real, holder));
            e = new Cached(real, handle);
            holder[0] = e;
            entries.put(sql, e);
        }
        e.inUse = true;
        return e.handle;
    }

    private InvocationHandler statementHandler(PreparedStatement real, Cached[] holder) {
        return (proxy, m, args) -> {
            switch (m.getName()) {
                case "close" -> {
                    Cached e = holder[0];
                    try {
                        if (e.open != null && !e.open.isClosed()) e.open.close(); // resets the statement
                        real.clearParameters();
                    } finally {
                        e.open = null;
                        e.inUse = false;
                    }
                    return null;
                }
                case "executeQuery" -> {
                    Object rs = invoke(real, m, args);
                    holder[0].open = (ResultSet) rs;
                    return rs;
                }
                case "isClosed" -> {
                    return !holder[0].inUse;
                }
                case "getConnection" -> {
                    return view;
                }
                default -> {
                    return invoke(real, m, args);
                }
            }
        };
    }

    /** Closes every cached statement (after a failure, or when the database closes). */
    void clear() {
        for (Cached e : entries.values()) closeQuietly(e.statement);
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // dropping it anyway
        }
    }
}
