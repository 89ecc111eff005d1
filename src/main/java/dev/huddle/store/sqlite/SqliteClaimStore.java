package dev.huddle.store.sqlite;

import dev.huddle.store.ClaimStore;
import dev.huddle.store.jdbc.JdbcClaimStore;

/** {@link ClaimStore} on the hub's SQLite database. */
public final class SqliteClaimStore extends JdbcClaimStore {
    public SqliteClaimStore(SqliteDatabase db) {
        super(new SqliteDialect(db));
    }
}
