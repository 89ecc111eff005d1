package dev.huddle.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The agent store contract on SQLite. */
class SqliteAgentStoreTest extends AgentStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected Stores open() {
        return Stores.sqlite(tmp.resolve("h.db"));
    }
}
