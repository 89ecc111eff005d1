package dev.huddle.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The wake store contract on SQLite. */
class SqliteWakeStoreTest extends WakeStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected Stores open() {
        return Stores.sqlite(tmp.resolve("h.db"));
    }
}
