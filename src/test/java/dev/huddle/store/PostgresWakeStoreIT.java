package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The wake store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresWakeStoreIT extends WakeStoreContract {
    private static final PostgresTarget DATABASE = PostgresServer.newDatabase("wakes");

    @Override
    protected Stores open() {
        return Stores.postgres(DATABASE);
    }
}
