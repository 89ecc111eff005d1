package dev.huddle.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The claim store contract on SQLite. */
class SqliteClaimStoreTest extends ClaimStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected Stores open() {
        return Stores.sqlite(tmp.resolve("h.db"));
    }
}
