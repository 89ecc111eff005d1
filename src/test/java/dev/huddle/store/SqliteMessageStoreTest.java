package dev.huddle.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The message store contract on SQLite. */
class SqliteMessageStoreTest extends MessageStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected Stores open() {
        return Stores.sqlite(tmp.resolve("h.db"));
    }
}
