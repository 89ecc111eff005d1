package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The wake store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresWakeStoreIT extends WakeStoreContract {
    private static PostgresTarget database;

    @Override
    protected Stores open() {
        if (database == null) database = PostgresServer.newDatabase("wakes");
        return Stores.postgres(database);
    }
}
