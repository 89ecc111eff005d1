package dev.huddle.store.postgres;

import dev.huddle.store.ClaimStore;
import dev.huddle.store.jdbc.JdbcClaimStore;

/** {@link ClaimStore} on the PostgreSQL store. */
public final class PostgresClaimStore extends JdbcClaimStore {
    public PostgresClaimStore(PostgresDatabase db) {
        super(new PostgresDialect(db));
    }
}
