package dev.huddle.hub;

import dev.huddle.protocol.Settings;
import dev.huddle.store.AgentStore;
import dev.huddle.store.ClaimStore;
import dev.huddle.store.HubBeats;
import dev.huddle.store.MessageStore;
import dev.huddle.store.ReadRequestStore;
import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import dev.huddle.store.Transactor;
import dev.huddle.store.WakeStore;
import dev.huddle.store.postgres.PgPassword;
import dev.huddle.store.postgres.PostgresAgentStore;
import dev.huddle.store.postgres.PostgresClaimStore;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresHubBeats;
import dev.huddle.store.postgres.PostgresMessageStore;
import dev.huddle.store.postgres.PostgresReadRequestStore;
import dev.huddle.store.postgres.PostgresWakeStore;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteClaimStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hub's store, whichever database holds it: the local SQLite file (the default) or the PostgreSQL database the
 * hubs of a team share ({@link StoreChoice}). The services see only the store interfaces and the {@link Transactor}.
 */
interface HubDatabase extends AutoCloseable {
    Transactor tx();

    AgentStore agents();

    MessageStore messages();

    WakeStore wakes();

    ClaimStore claims();

    StoreHealth health();

    void onHealth(Consumer<StoreHealth> listener);

    /** Told after each commit that wrote rows (every hub's, for a shared store). */
    void onChange(Runnable listener);

    /**
     * Told after each commit of another hub's (a shared store only; never for SQLite): what other machines' rows ask of
     * this hub (their replies, wakes and reads) needs no look after this hub's own commits. The listener is given the
     * tables the commit wrote, or null when they are not known (after a reconnect).
     */
    default void onOtherHubsChange(Consumer<java.util.Set<String>> listener) {}

    /** While degraded: tries one write or round trip; returns whether the store is healthy now. */
    boolean probe();

    int schemaVersion();

    /** "ok", or what a check of the file found; a server checks its own data, so a shared store is "ok". */
    String quickCheck();

    /** Whether other machines' hubs share it (they commit too: their replies, their agents). */
    default boolean shared() {
        return false;
    }

    /** read_session requests between the machines' hubs: a shared store only (null on this machine's own store). */
    default ReadRequestStore readRequests() {
        return null;
    }

    /** This machine's name in a shared store (the rows' machine, {@code HUDDLE_MACHINE}), or null on this machine's own store. */
    default String machine() {
        return null;
    }

    /** The hubs' heartbeats on a shared store; null on a machine's own (one hub, nobody to tell). */
    default HubBeats heartbeats() {
        return null;
    }

    /** Where the data is: the file, or the store URL (never a password). */
    String location();

    @Override
    void close();

    /** Opens the store the settings choose; fails with a message that says what to do. */
    static HubDatabase open(StoreChoice choice, Path sqliteFile, Map<String, String> env) {
        if (choice.target() == null) return new Sqlite(SqliteDatabase.open(sqliteFile));
        String password = PgPassword.find(choice.target(), choice.passwordFile(), env, StoreChoice.home(env));
        try {
            return new Postgres(PostgresDatabase.open(choice.target(), password, choice.machine(), choice.machineNamed()));
        } catch (StoreException e) {
            if (!"store-degraded".equals(e.code())) throw e;
            throw new StoreException(e.code(), e.getMessage(), "Start the hub again once the server answers (check with `pg_isready -h "
                    + choice.target().host() + " -p " + choice.target().port() + "`), or remove " + Settings.STORE_URL.key()
                    + " from config.json (and " + Settings.STORE_URL.env() + ") to use this machine's own database.", e);
        }
    }

    /** A throw-away SQLite store at {@code file} (a rehearsal's): the local store's code over nobody's data. */
    static HubDatabase scratch(Path file) {
        return new Sqlite(SqliteDatabase.open(file));
    }

    record Sqlite(SqliteDatabase db, SqliteAgentStore agents, SqliteMessageStore messages, SqliteWakeStore wakes,
                  SqliteClaimStore claims) implements HubDatabase {
        Sqlite(SqliteDatabase db) {
            this(db, new SqliteAgentStore(db), new SqliteMessageStore(db), new SqliteWakeStore(db), new SqliteClaimStore(db));
        }

        @Override
        public Transactor tx() {
            return db;
        }

        @Override
        public StoreHealth health() {
            return db.health();
        }

        @Override
        public void onHealth(Consumer<StoreHealth> listener) {
            db.onHealth(listener);
        }

        @Override
        public void onChange(Runnable listener) {
            db.onChange(tables -> listener.run());
        }

        @Override
        public boolean probe() {
            return db.probe();
        }

        @Override
        public int schemaVersion() {
            return db.schemaVersion();
        }

        @Override
        public String quickCheck() {
            return db.quickCheck();
        }

        @Override
        public String location() {
            return db.file().toString();
        }

        @Override
        public void close() {
            db.close();
        }
    }

    record Postgres(PostgresDatabase db, PostgresAgentStore agents, PostgresMessageStore messages, PostgresWakeStore wakes,
                    PostgresClaimStore claims, PostgresReadRequestStore readRequests, PostgresHubBeats heartbeats) implements HubDatabase {
        Postgres(PostgresDatabase db) {
            this(db, new PostgresAgentStore(db), new PostgresMessageStore(db), new PostgresWakeStore(db), new PostgresClaimStore(db),
                    new PostgresReadRequestStore(db), new PostgresHubBeats(db));
        }

        @Override
        public Transactor tx() {
            return db;
        }

        @Override
        public StoreHealth health() {
            return db.health();
        }

        @Override
        public void onHealth(Consumer<StoreHealth> listener) {
            db.onHealth(listener);
        }

        @Override
        public void onChange(Runnable listener) {
            db.onChange(listener);
        }

        @Override
        public void onOtherHubsChange(Consumer<java.util.Set<String>> listener) {
            db.onOtherHubsChange(listener);
        }

        @Override
        public boolean probe() {
            return db.probe();
        }

        @Override
        public int schemaVersion() {
            return db.schemaVersion();
        }

        @Override
        public String quickCheck() {
            return "ok";
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String machine() {
            return db.machine();
        }

        @Override
        public String location() {
            return db.target().toString();
        }

        @Override
        public void close() {
            heartbeats.close();
            db.close();
        }
    }
}
