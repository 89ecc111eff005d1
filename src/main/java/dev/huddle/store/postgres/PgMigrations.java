package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema: the same numbered migrations as the SQLite store's (db/V001..), in PostgreSQL's dialect
 * (db/postgres/V001..), each applied once in its own transaction and recorded in {@code huddle_schema}. Hubs of several
 * machines may start together: a session advisory lock lets one migrate while the others wait, then find it done.
 */
final class PgMigrations {
    private PgMigrations() {}

    static final List<String> MIGRATIONS = List.of("V001__agents.sql", "V002__messages.sql", "V003__hooks.sql", "V004__wakes.sql",
            "V005__wake_timers.sql", "V006__read.sql", "V007__deferred_wakes.sql", "V008__claims.sql",
            "V009__implicit_claims.sql", "V010__cockpit_indexes.sql", "V011__agent_reference_indexes.sql",
            "V012__wake_history_index.sql", "V013__hubs.sql", "V014__machine_roles.sql", "V015__owning_hub.sql",
            "V016__read_request_clock.sql");
    /** The first version with per-machine roles (huddle_machines, huddle_grant_machines). */
    static final int MACHINE_ROLES = 14;

    /** The advisory lock keys huddle takes: 'hudd' and what for. */
    static final int LOCK_SPACE = 0x68756464;
    static final int LOCK_WRITE = 1;
    static final int LOCK_MIGRATE = 2;

    static void migrate(Connection c, String where, String machine) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + LOCK_SPACE + ", " + LOCK_MIGRATE + ")");
        }
        int current = 0;
        try {
            c.setAutoCommit(false);
            if (!exists(c)) { // a role that may not change the schema still opens a current one
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS huddle_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL, machine TEXT)");
                }
                c.commit();
            }
            current = version(c);
            c.commit();
            if (current > MIGRATIONS.size()) throw newer(where, current);
            for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                try (Statement st = c.createStatement()) {
                    st.execute(resource("db/postgres/" + MIGRATIONS.get(v - 1))); // the driver sends a script's statements in turn
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO huddle_schema (version, applied_at, machine) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, machine);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new StoreException("migration to schema version " + v + " failed: " + e.getMessage(), e);
                }
                c.commit();
            }
            // new tables: the per-machine roles get their privileges on them
            if (current < MIGRATIONS.size() && MIGRATIONS.size() >= MACHINE_ROLES) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT huddle_grant_machines()");
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is failing anyway
            }
            if (e instanceof SQLException se && "42501".equals(se.getSQLState())) throw MachineRoles.cannotMigrate(where, user(c), current, se);
            throw e;
        } finally {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + LOCK_SPACE + ", " + LOCK_MIGRATE + ")");
            }
        }
    }

    /** A per-machine role's check instead of migrating: the schema must be this huddle's. */
    static void check(Connection c, String where, PgRole role) throws SQLException {
        int current;
        try (Statement st = c.createStatement()) { // an owner's hub migrating right now: wait for it, then read
            st.execute("SELECT pg_advisory_lock(" + LOCK_SPACE + ", " + LOCK_MIGRATE + ")");
        }
        try {
            current = version(c);
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + LOCK_SPACE + ", " + LOCK_MIGRATE + ")");
            }
        }
        if (current > MIGRATIONS.size()) throw newer(where, current);
        if (current < MIGRATIONS.size()) throw MachineRoles.behind(where, role, current, MIGRATIONS.size());
    }

    private static boolean exists(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('huddle_schema') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String user(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    static int version(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM huddle_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static StoreException newer(String where, int version) {
        return new StoreException("store-error", "the PostgreSQL store at " + where + " has schema version " + version
                + " but this huddle knows only up to " + MIGRATIONS.size() + "; a newer huddle on another machine migrated it.",
                "Upgrade huddle on this machine (`npm install -g @huddle-dev/huddle`, or pull and rebuild a checkout), then start it"
                        + " again: the machines of a team run the same huddle, or newer.", null);
    }

    private static String resource(String name) {
        try (InputStream in = PgMigrations.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new StoreException("missing migration resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + name, e);
        }
    }
}
