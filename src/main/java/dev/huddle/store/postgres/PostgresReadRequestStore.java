package dev.huddle.store.postgres;

import dev.huddle.store.ReadRequestStore;
import dev.huddle.store.jdbc.JdbcReadRequestStore;

/** {@link ReadRequestStore} on the PostgreSQL store: where the hubs of a team ask each other for their agents' sessions. */
public final class PostgresReadRequestStore extends JdbcReadRequestStore {
    public PostgresReadRequestStore(PostgresDatabase db) {
        super(new PostgresDialect(db));
    }
}
