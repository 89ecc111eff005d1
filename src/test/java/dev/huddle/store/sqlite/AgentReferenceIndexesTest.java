package dev.huddle.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Renaming, merging and deleting an agent find the rows that point at it by index, never by scanning a table (V011). */
class AgentReferenceIndexesTest {

    @Test
    void renamesAndDeletesOfAgentsSearchEveryReferencingTable(@TempDir Path tmp) throws SQLException {
        Path file = tmp.resolve("h.db");
        SqliteDatabase.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            for (String sql : List.of("UPDATE agents SET agent_id = 'b' WHERE agent_id = 'a'", "DELETE FROM agents WHERE agent_id = 'a'",
                    "UPDATE messages SET sender_id = 'b' WHERE sender_id = 'a'", "UPDATE asks SET requester_id = 'b' WHERE requester_id = 'a'",
                    "UPDATE asks SET target_id = 'b' WHERE target_id = 'a'")) {
                assertThat(QueryPlans.plan(st, sql)).as(sql).noneMatch(step -> step.startsWith("SCAN"));
            }
            assertThat(QueryPlans.plan(st, "UPDATE agents SET agent_id = 'b' WHERE agent_id = 'a'"))
                    .contains("SEARCH messages USING COVERING INDEX messages_by_sender (sender_id=?)");
        }
    }

    @Test
    void aSendersReplyToAnAskIsFoundWithBothColumns(@TempDir Path tmp) throws SQLException {
        Path file = tmp.resolve("h.db");
        SqliteDatabase.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            assertThat(QueryPlans.plan(st, "SELECT seq FROM messages WHERE reply_to = 'r' AND sender_id = 's' ORDER BY seq LIMIT 1"))
                    .containsExactly("SEARCH messages USING COVERING INDEX messages_by_sender (sender_id=? AND reply_to=?)");
        }
    }
}
