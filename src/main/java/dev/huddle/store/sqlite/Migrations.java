package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The numbered schema migrations of {@link SqliteDatabase}, tracked in {@code PRAGMA user_version}. */
final class Migrations {
    private Migrations() {}

    /** Migration scripts in order; the number in the name is the schema version it produces. */
    static final List<String> SCRIPTS = List.of("db/V001__agents.sql", "db/V002__messages.sql", "db/V003__hooks.sql", "db/V004__wakes.sql",
            "db/V005__wake_timers.sql", "db/V006__read.sql", "db/V007__deferred_wakes.sql", "db/V008__claims.sql",
            "db/V009__implicit_claims.sql", "db/V010__cockpit_indexes.sql", "db/V011__agent_reference_indexes.sql",
            "db/V012__wake_history_index.sql", "db/V013__hubs.sql", "db/V014__machine_roles.sql", "db/V015__owning_hub.sql",
            "db/V016__read_request_clock.sql");

    /** Applies the migrations after the file's version up to {@code target}, each in its own transaction. */
    static void migrate(Connection connection, Path file, int target) throws SQLException {
        int current;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > SCRIPTS.size()) {
            throw new StoreException("the database " + file + " has schema version " + current
                    + " but this huddle knows only up to " + SCRIPTS.size()
                    + "; it was written by a newer huddle. Upgrade huddle (or run the newer one).");
        }
        for (int v = current + 1; v <= target; v++) {
            String sql = resource(SCRIPTS.get(v - 1));
            try (Statement st = connection.createStatement()) {
                st.execute("BEGIN");
                try {
                    for (String stmt : splitStatements(sql)) st.executeUpdate(stmt);
                    st.executeUpdate("PRAGMA user_version = " + v);
                    st.execute("COMMIT");
                } catch (SQLException e) {
                    try {
                        st.execute("ROLLBACK");
                    } catch (SQLException alreadyRolledBack) {
                        // SQLite ended it itself
                    }
                    throw new StoreException("migration to schema version " + v + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Splits a migration script into statements at a ';' that ends a line. Trigger bodies contain ';' of their
     * own, so inside a CREATE TRIGGER the statement ends only at its END line.
     */
    static List<String> splitStatements(String sql) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inTrigger = false;
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) continue;
            if (cur.isEmpty() && t.toUpperCase(java.util.Locale.ROOT).startsWith("CREATE TRIGGER")) inTrigger = true;
            cur.append(line).append('\n');
            boolean ends = inTrigger ? t.toUpperCase(java.util.Locale.ROOT).matches("END;?") : t.endsWith(";");
            if (ends) {
                String stmt = cur.toString().strip();
                if (stmt.endsWith(";")) stmt = stmt.substring(0, stmt.length() - 1);
                out.add(stmt);
                cur.setLength(0);
                inTrigger = false;
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new StoreException("missing migration resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + name, e);
        }
    }

}
