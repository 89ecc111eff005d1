package dev.huddle.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Who a connection writes as (schema version 14, docs/team.md "Per-machine roles"): the database role, the machine
 * {@code huddle_machines} maps it to, and whether row-level security restricts it. A role not listed writes as any
 * machine while no machine is listed, or when it owns the tables; a restricted role without a machine may only read.
 *
 * @param user       the role ({@code current_user})
 * @param machine    its machine, or null when it is not a per-machine role (or the schema predates the mapping)
 * @param restricted whether row-level security limits its writes
 */
public record PgRole(String user, String machine, boolean restricted) {
    /** The connection's role, read without writing (the schema may be older than the mapping). */
    public static PgRole of(Connection c) throws SQLException {
        String user;
        boolean mapping;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user, to_regclass('huddle_machines') IS NOT NULL AND to_regproc('huddle_unrestricted') IS NOT NULL")) {
            rs.next();
            user = rs.getString(1);
            mapping = rs.getBoolean(2);
        }
        if (!mapping) return new PgRole(user, null, false);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT huddle_machine(), huddle_unrestricted()")) {
            rs.next();
            return new PgRole(user, rs.getString(1), !rs.getBoolean(2));
        }
    }

    /** A restricted role with no machine: it may read the team's rows, never write one. */
    public boolean readOnly() {
        return restricted && machine == null;
    }
}
