package dev.huddle.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What SQLite plans for a statement: the steps of {@code EXPLAIN QUERY PLAN} (tests that hold an index in use). */
final class QueryPlans {
    private QueryPlans() {}

    /** The steps of every statement's plan, on a database freshly migrated under {@code dir}. */
    static List<String> onFreshDatabase(java.nio.file.Path dir, String... sqls) throws SQLException {
        java.nio.file.Path file = dir.resolve("plans.db");
        SqliteDatabase.open(file).close();
        List<String> steps = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String sql : sqls) steps.addAll(plan(st, sql));
        }
        return steps;
    }

    static List<String> plan(Statement st, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) steps.add(rs.getString("detail"));
        }
        return steps;
    }
}
