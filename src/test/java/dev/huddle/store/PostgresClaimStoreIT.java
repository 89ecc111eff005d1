package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The claim store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresClaimStoreIT extends ClaimStoreContract {
    private static PostgresTarget database;

    @Override
    protected Stores open() {
        if (database == null) database = PostgresServer.newDatabase("claims");
        return Stores.postgres(database);
    }
}
