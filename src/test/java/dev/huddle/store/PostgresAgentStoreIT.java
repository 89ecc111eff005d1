package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The agent store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresAgentStoreIT extends AgentStoreContract {
    private static PostgresTarget database;

    @Override
    protected Stores open() {
        if (database == null) database = PostgresServer.newDatabase("agents");
        return Stores.postgres(database);
    }
}
