package dev.huddle.store;

import dev.huddle.store.postgres.PostgresAgentStore;
import dev.huddle.store.postgres.PostgresClaimStore;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresMessageStore;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.store.postgres.PostgresWakeStore;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteClaimStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;

import java.nio.file.Path;

/** One store of each kind on one database, SQLite or PostgreSQL: what the store contract tests run against. */
public record Stores(Transactor tx, AgentStore agents, MessageStore messages, WakeStore wakes, ClaimStore claims,
                     AutoCloseable database) implements AutoCloseable {

    public static Stores sqlite(Path file) {
        SqliteDatabase db = SqliteDatabase.open(file);
        return new Stores(db, new SqliteAgentStore(db), new SqliteMessageStore(db), new SqliteWakeStore(db), new SqliteClaimStore(db), db);
    }

    /** The stores on a PostgreSQL database, emptied first (a test class's tests share its database). */
    public static Stores postgres(PostgresTarget target) {
        PostgresDatabase db = PostgresDatabase.open(target, null, "test-machine");
        db.write(c -> {
            try (var st = c.createStatement()) {
                return st.executeUpdate("TRUNCATE agents, agent_processes, messages, asks, wakes, claims RESTART IDENTITY CASCADE");
            }
        });
        return new Stores(db, new PostgresAgentStore(db), new PostgresMessageStore(db), new PostgresWakeStore(db),
                new PostgresClaimStore(db), db);
    }

    @Override
    public void close() {
        try {
            database.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
