package dev.huddle.store.postgres;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL an administrator runs to give one machine its own database role (docs/team.md, "Per-machine roles"):
 * the role, its right to connect, its line in {@code huddle_machines}, and its privileges on huddle's tables. The
 * role's password is set apart ({@code \password} in psql), so it never sits in a script or a shell history.
 */
public final class AdminSql {
    private AdminSql() {}

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Whether a role name needs no quoting (huddle asks for such names: they read the same in SQL, URLs and .pgpass). */
    public static boolean validRole(String role) {
        return role != null && ROLE.matcher(role).matches();
    }

    /** CREATE ROLE: run by a role that may create roles. */
    public static String createRole(String role) {
        check(role);
        return "CREATE ROLE " + role + " LOGIN";
    }

    /** The statements the owner of huddle's tables runs, in order, on the team's database. */
    public static List<String> asOwner(String database, String role, String machine) {
        check(role);
        if (machine == null || machine.isBlank()) throw new IllegalArgumentException("the machine's name is empty");
        return List.of("GRANT CONNECT ON DATABASE \"" + database.replace("\"", "\"\"") + "\" TO " + role,
                "INSERT INTO huddle_machines (role, machine) VALUES (" + literal(role) + ", " + literal(machine) + ")",
                "SELECT huddle_grant_machines()");
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void check(String role) {
        if (!validRole(role)) {
            throw new IllegalArgumentException("the role name '" + role + "' is not usable: lower-case letters, digits and '_',"
                    + " starting with a letter or '_', at most 63 characters");
        }
    }
}
