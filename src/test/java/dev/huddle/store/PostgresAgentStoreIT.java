package dev.huddle.store;

import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;

/** The agent store contract on PostgreSQL: a private test cluster, a database of this class's own, emptied before each test. */
class PostgresAgentStoreIT extends AgentStoreContract {
    private static final PostgresTarget DATABASE = PostgresServer.newDatabase("agents");

    @Override
    protected Stores open() {
        return Stores.postgres(DATABASE);
    }
}
