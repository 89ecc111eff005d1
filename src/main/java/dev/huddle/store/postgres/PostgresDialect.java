package dev.huddle.store.postgres;

import dev.huddle.store.jdbc.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The shared stores' SQL on PostgreSQL: reads and writes on the pool, text ordered as SQLite orders it. */
record PostgresDialect(PostgresDatabase db) implements SqlDialect {
    @Override
    public <T> T read(Work<T> work) {
        return db.read(work::run);
    }

    @Override
    public <T> T write(Work<T> work) {
        return db.write(work::run);
    }

    /** A write runs in one transaction already. */
    @Override
    public <T> T transaction(Work<T> work) {
        return db.write(work::run);
    }

    /** PostgreSQL has no index hints: its planner keeps statistics. */
    @Override
    public String indexedBy(String index) {
        return "";
    }

    /** Byte order, as SQLite sorts text, whatever the database's collation. */
    @Override
    public String byteOrder() {
        return " COLLATE \"C\"";
    }

    @Override
    public String nullableText() {
        return "CAST(? AS TEXT)";
    }

    @Override
    public String greatest() {
        return "greatest";
    }

    @Override
    public PreparedStatement prepareInsert(Connection c, String sql, String idColumn) throws SQLException {
        return c.prepareStatement(sql, new String[]{idColumn});
    }

    @Override
    public long insertedId(Connection c, PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            return keys.next() ? keys.getLong(1) : -1L;
        }
    }
}
