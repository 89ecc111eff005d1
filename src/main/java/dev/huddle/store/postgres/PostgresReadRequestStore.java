package dev.huddle.store.postgres;

import dev.huddle.store.ReadRequestStore;
import dev.huddle.store.jdbc.JdbcReadRequestStore;

/**
 * {@link ReadRequestStore} on the PostgreSQL store: where the hubs of a team ask each other for their agents' sessions.
 * A request's times are the server's (V016 rebases them at insert), so whether it is pending or expired, and when it was
 * answered, is the server's clock too: a hub whose clock is off by minutes still answers a request in time, and never
 * one that expired.
 */
public final class PostgresReadRequestStore extends JdbcReadRequestStore {
    public PostgresReadRequestStore(PostgresDatabase db) {
        super(new PostgresDialect(db), PostgresAgentStore.SERVER_NOW_MS);
    }
}
