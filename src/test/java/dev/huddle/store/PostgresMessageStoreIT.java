package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The message store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresMessageStoreIT extends MessageStoreContract {
    private static PostgresTarget database;

    @Override
    protected Stores open() {
        if (database == null) database = PostgresServer.newDatabase("messages");
        return Stores.postgres(database);
    }
}
