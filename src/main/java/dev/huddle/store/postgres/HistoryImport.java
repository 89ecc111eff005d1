package dev.huddle.store.postgres;

import dev.huddle.store.ImportedHistory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Copies one machine's local SQLite history (its agents, messages and asks) into the shared store, in one
 * transaction under the lock all hubs share. The rows keep their ids, so a second run copies nothing twice
 * ({@code ON CONFLICT DO NOTHING}); they are tagged with this machine (the connection's {@code huddle.machine}), their
 * project keys mapped from the local repository paths to the names the team's hubs share. Agents arrive offline (this
 * machine's hub brings back the ones still running when they call again); an agent whose name is taken in its shared
 * project by another agent arrives without a name. Claims and wake records stay behind: a claim is a lease of an
 * agent running now, and a wake record is this machine's own.
 *
 * <p>The SQLite file is read in one read transaction (a consistent snapshot, even if a hub writes it meanwhile).
 */
public final class HistoryImport {
    private static final class DryRun extends RuntimeException {
        final transient ImportedHistory counts;

        DryRun(ImportedHistory counts) {
            super("dry run", null, false, false);
            this.counts = counts;
        }
    }

    private HistoryImport() {}

    /**
     * @param projectKey the shared key of a local project key (a repository root path); the key itself when it has no
     *                   name across machines
     */
    public static ImportedHistory run(Path sqliteFile, PostgresDatabase shared, UnaryOperator<String> projectKey, boolean dryRun) {
        org.sqlite.SQLiteConfig ro = new org.sqlite.SQLiteConfig();
        ro.setReadOnly(true);
        try (Connection local = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile, ro.toProperties())) {
            local.setAutoCommit(false); // one snapshot for every table
            Map<String, String> projects = new TreeMap<>();
            try (Statement st = local.createStatement();
                 ResultSet rs = st.executeQuery("SELECT project_root FROM agents UNION SELECT project_root FROM messages")) {
                while (rs.next()) projects.put(rs.getString(1), projectKey.apply(rs.getString(1)));
            }
            try {
                return shared.write(to -> {
                    int[] agents = copyAgents(local, to, projects);
                    int[] messages = copy(local, to, "messages", "id", Map.of("project_root", projects::get), Set.of("seq", "machine"), "seq");
                    int[] asks = copy(local, to, "asks", "request_id", Map.of(), Set.of("machine"), "created_at");
                    ImportedHistory c = new ImportedHistory(agents[0], agents[1], messages[0], messages[1], asks[0], asks[1], agents[2], projects, dryRun);
                    if (dryRun) throw new DryRun(c); // rolls the transaction back
                    return c;
                });
            } catch (DryRun d) {
                return d.counts;
            }
        } catch (SQLException e) {
            throw new dev.huddle.store.StoreException("cannot read the local history " + sqliteFile + ": " + e.getMessage(), e);
        }
    }

    /** Agents, offline, their projects mapped; a name another agent holds in the shared project is dropped. */
    private static int[] copyAgents(Connection local, Connection to, Map<String, String> projects) throws SQLException {
        int[] renamed = {0};
        long now = System.currentTimeMillis();
        Map<String, UnaryOperator<Object>> change = new LinkedHashMap<>();
        change.put("project_root", v -> projects.get((String) v));
        change.put("online", v -> 0);
        change.put("offline_at", v -> v == null ? now : v);
        int[] copied = copy(local, to, "agents", "agent_id", change, Set.of("machine"), "created_at", (row, cols) -> {
            int name = cols.indexOf("name");
            int project = cols.indexOf("project_root");
            int id = cols.indexOf("agent_id");
            int retired = cols.indexOf("retired_at");
            if (name < 0 || row[name] == null || (retired >= 0 && row[retired] != null)) return;
            try (PreparedStatement ps = to.prepareStatement("SELECT 1 FROM agents WHERE project_root = ? AND lower(name) = lower(?)"
                    + " AND retired_at IS NULL AND agent_id <> ?")) {
                ps.setObject(1, row[project]);
                ps.setObject(2, row[name]);
                ps.setObject(3, row[id]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        row[name] = null;
                        renamed[0]++;
                    }
                }
            }
        });
        return new int[] {copied[0], copied[1], renamed[0]};
    }

    private interface RowFix {
        void apply(Object[] row, List<String> columns) throws SQLException;
    }

    private static int[] copy(Connection local, Connection to, String table, String key, Map<String, UnaryOperator<Object>> change,
                              Set<String> skip, String order) throws SQLException {
        return copy(local, to, table, key, change, skip, order, (row, cols) -> {});
    }

    /** Copies the columns both databases have; returns {copied, there already}. */
    private static int[] copy(Connection local, Connection to, String table, String key, Map<String, UnaryOperator<Object>> change,
                              Set<String> skip, String order, RowFix fix) throws SQLException {
        Set<String> theirs = columns(to, table);
        List<String> cols = new ArrayList<>();
        for (String c : columns(local, table)) if (theirs.contains(c) && !skip.contains(c)) cols.add(c);
        String insert = "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + "?, ".repeat(cols.size() - 1)
                + "?) ON CONFLICT (" + key + ") DO NOTHING";
        int copied = 0;
        int there = 0;
        try (Statement st = local.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + String.join(", ", cols) + " FROM " + table + " ORDER BY " + order);
             PreparedStatement ps = to.prepareStatement(insert)) {
            while (rs.next()) {
                Object[] row = new Object[cols.size()];
                for (int i = 0; i < row.length; i++) {
                    Object v = rs.getObject(i + 1);
                    UnaryOperator<Object> f = change.get(cols.get(i));
                    row[i] = f == null ? v : f.apply(v);
                }
                fix.apply(row, cols);
                for (int i = 0; i < row.length; i++) ps.setObject(i + 1, row[i]);
                if (ps.executeUpdate() > 0) copied++;
                else there++;
            }
        }
        return new int[] {copied, there};
    }

    private static Set<String> columns(Connection c, String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, null)) {
            while (rs.next()) out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
