package dev.huddle.store.postgres;

import dev.huddle.store.WakeStore;
import dev.huddle.store.jdbc.JdbcWakeStore;

/** {@link WakeStore} on the PostgreSQL store. */
public final class PostgresWakeStore extends JdbcWakeStore {
    public PostgresWakeStore(PostgresDatabase db) {
        super(new PostgresDialect(db));
    }

    /** As SQLite orders: nulls first, text by its bytes. */
    @Override
    protected String summaryOrder() {
        return " ORDER BY route COLLATE \"C\" NULLS FIRST, client_type COLLATE \"C\" NULLS FIRST, count(*) DESC";
    }
}
