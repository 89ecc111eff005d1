package dev.huddle.store.sqlite;

import dev.huddle.store.jdbc.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The shared stores' SQL on the hub's SQLite database: every statement under its one connection's lock. */
record SqliteDialect(SqliteDatabase db) implements SqlDialect {
    @Override
    public <T> T read(Work<T> work) {
        return db.query(work::run);
    }

    @Override
    public <T> T write(Work<T> work) {
        return db.query(work::run);
    }

    @Override
    public <T> T transaction(Work<T> work) {
        return db.inTransaction(() -> db.query(work::run));
    }

    /** Without statistics SQLite's planner picks among look-alike indexes badly: the hints name the right one. */
    @Override
    public String indexedBy(String index) {
        return " INDEXED BY " + index;
    }

    @Override
    public String byteOrder() {
        return "";
    }

    @Override
    public String nullableText() {
        return "?";
    }

    @Override
    public String greatest() {
        return "MAX";
    }

    /** Not RETURN_GENERATED_KEYS: such a statement is prepared anew each time (see StatementCache). */
    @Override
    public PreparedStatement prepareInsert(Connection c, String sql, String idColumn) throws SQLException {
        return c.prepareStatement(sql);
    }

    @Override
    public long insertedId(Connection c, PreparedStatement insert) throws SQLException {
        try (PreparedStatement id = c.prepareStatement("SELECT last_insert_rowid()"); ResultSet keys = id.executeQuery()) {
            return keys.next() ? keys.getLong(1) : -1L;
        }
    }
}
