package dev.huddle.store.sqlite;

import dev.huddle.store.AgentStore;
import dev.huddle.store.jdbc.JdbcAgentStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** {@link AgentStore} on the hub's SQLite database: one machine's. */
public final class SqliteAgentStore extends JdbcAgentStore {
    public SqliteAgentStore(SqliteDatabase db) {
        super(new SqliteDialect(db), COLUMNS, null);
    }

    @Override
    protected String sameName() {
        return "name = ? COLLATE NOCASE";
    }

    @Override
    protected void keepReadSettings(Connection c, String from, String into) throws SQLException {
        try (PreparedStatement keep = c.prepareStatement("UPDATE agents SET"
                + " readable = min(readable, coalesce((SELECT f.readable FROM agents f WHERE f.agent_id = ?1), 1)),"
                + " read_env = coalesce(read_env, (SELECT f.read_env FROM agents f WHERE f.agent_id = ?1))"
                + " WHERE agent_id = ?2")) {
            keep.setString(1, from);
            keep.setString(2, into);
            keep.executeUpdate();
        }
    }

    @Override
    protected void moveClaims(Connection c, String from, String into) throws SQLException {
        try (PreparedStatement move = c.prepareStatement("UPDATE OR REPLACE claims SET holder_id = ? WHERE holder_id = ?")) {
            move.setString(1, into);
            move.setString(2, from);
            move.executeUpdate();
        }
    }
}
