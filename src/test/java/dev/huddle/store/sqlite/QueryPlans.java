package dev.huddle.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What SQLite plans for a statement: the steps of {@code EXPLAIN QUERY PLAN} (tests that hold an index in use). */
final class QueryPlans {
    private QueryPlans() {}

    static List<String> plan(Statement st, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) steps.add(rs.getString("detail"));
        }
        return steps;
    }
}
