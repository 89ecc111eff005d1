package dev.huddle.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What the shared JDBC stores need to know of one database: how work reaches a connection, and the few places where
 * SQLite's SQL and PostgreSQL's differ (index hints, collation, a typed null parameter, generated keys).
 */
public interface SqlDialect {
    /** Work on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read. */
    <T> T read(Work<T> work);

    /** Runs a write (one statement, or several each standing alone). */
    <T> T write(Work<T> work);

    /** Runs several statements that must commit together. */
    <T> T transaction(Work<T> work);

    /** The hint that makes the planner use {@code index} after a table name (with its leading space), or "". */
    String indexedBy(String index);

    /** Appended to a text column in ORDER BY so text sorts by its bytes, as SQLite sorts it (with its leading space), or "". */
    String byteOrder();

    /** A text parameter that may be null and is compared with IS NULL (PostgreSQL must be told its type). */
    String nullableText();

    /** The SQL function of the larger of two values. */
    String greatest();

    /** Prepares an INSERT whose new {@code idColumn} {@link #insertedId} reads. */
    PreparedStatement prepareInsert(Connection c, String sql, String idColumn) throws SQLException;

    /** The id of the row the executed {@code insert} (from {@link #prepareInsert}) made, or -1. */
    long insertedId(Connection c, PreparedStatement insert) throws SQLException;
}
