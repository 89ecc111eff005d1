package dev.huddle.store.sqlite;

import dev.huddle.store.WakeStore;
import dev.huddle.store.jdbc.JdbcWakeStore;

/** {@link WakeStore} on the hub's SQLite database. */
public final class SqliteWakeStore extends JdbcWakeStore {
    public SqliteWakeStore(SqliteDatabase db) {
        super(new SqliteDialect(db));
    }
}
