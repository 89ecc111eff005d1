package dev.huddle.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The transaction statements of {@link SqliteDatabase}'s connection. BEGIN, COMMIT, SAVEPOINT and RELEASE stay
 * prepared (a batch member runs up to four); one that failed is closed and never used again. Rollbacks run on a
 * statement of their own. Not thread-safe: used under the database lock.
 */
final class TransactionVerbs {
    private static final String SAVEPOINT = "member";

    private final Connection connection;
    private final StatementCache statements;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    TransactionVerbs(Connection connection, StatementCache statements) {
        this.connection = connection;
        this.statements = statements;
    }

    void begin() throws SQLException {
        run("BEGIN");
    }

    void commit() throws SQLException {
        run("COMMIT");
    }

    void savepoint() throws SQLException {
        run("SAVEPOINT " + SAVEPOINT);
    }

    void release() throws SQLException {
        run("RELEASE " + SAVEPOINT);
    }

    /** Undoes the work since the savepoint; fails when SQLite has ended the whole transaction itself. */
    void rollbackToSavepoint() throws SQLException {
        once("ROLLBACK TO " + SAVEPOINT);
        once("RELEASE " + SAVEPOINT);
    }

    /**
     * Ends a failed transaction. SQLite may have rolled it back already (it does on SQLITE_FULL and some I/O errors):
     * then there is nothing to roll back, and that is fine.
     */
    void rollbackQuietly() {
        statements.clear(); // a statement still stepping would make ROLLBACK fail
        try {
            once("ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                Logger.getLogger(TransactionVerbs.class.getName()).warning("rollback failed: " + e.getMessage());
            }
        }
    }

    private void run(String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) prepared.put(sql, ps = connection.prepareStatement(sql));
        try {
            ps.execute();
        } catch (SQLException e) {
            prepared.remove(sql);
            try {
                ps.close();
            } catch (SQLException ignored) {
                // dropping it anyway
            }
            throw e;
        }
    }

    private void once(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
