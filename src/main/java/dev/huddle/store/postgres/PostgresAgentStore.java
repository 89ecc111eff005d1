package dev.huddle.store.postgres;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.store.AgentStore;
import dev.huddle.protocol.MiniJson;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AgentStore} on the PostgreSQL store. */
public final class PostgresAgentStore implements AgentStore {
    private static final String COLUMNS = "agent_id, session_id, binding_source, client_type, client_name, client_version,"
            + " project_root, cwd, name, purpose, state_updated_at, agent_pid, agent_start_ms, terminal_kind,"
            + " terminal_session, terminal_pane, terminal_window, terminal_verified, activity, activity_at,"
            + " last_tool_call_at, created_at, last_seen_at, online, offline_at, retired_at, transcript_path, hook_at";
    /** What only the agent's own machine knows (see {@link #map}): another machine's hub never overwrites it. */
    private static final java.util.Set<String> LOCAL = java.util.Set.of("agent_pid", "agent_start_ms", "terminal_kind", "terminal_session",
            "terminal_pane", "terminal_window", "terminal_verified", "transcript_path");
    /** An upsert (a delete would cascade); excluded.machine is the writer's (the column's default). */
    private static final String UPSERT = "INSERT INTO agents (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            + " ON CONFLICT (agent_id) DO UPDATE SET "
            + java.util.Arrays.stream(COLUMNS.split(",")).map(String::strip).filter(col -> !col.equals("agent_id"))
                    .map(col -> LOCAL.contains(col)
                            ? col + " = CASE WHEN agents.machine IS DISTINCT FROM excluded.machine THEN agents." + col + " ELSE excluded." + col + " END"
                            : col + " = excluded." + col)
                    .collect(java.util.stream.Collectors.joining(", "));
    /** What is read: the columns, and the machine whose hub made the row (the agent's own machine). */
    private static final String READ = COLUMNS + ", machine";
    /** Byte order, as SQLite sorts text, whatever the database's collation. */
    private static final String ORDER = " ORDER BY project_root COLLATE \"C\", created_at, agent_id COLLATE \"C\"";

    private final PostgresDatabase db;

    public PostgresAgentStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Agent> find(String agentId) {
        return one("SELECT " + READ + " FROM agents WHERE agent_id = ?", agentId);
    }

    @Override
    public Optional<Agent> findBySessionId(String sessionId) {
        return one("SELECT " + READ + " FROM agents WHERE session_id = ?", sessionId);
    }

    @Override
    public Optional<Agent> findByName(String projectRoot, String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + READ
                    + " FROM agents WHERE project_root = ? AND lower(name) = lower(?) AND retired_at IS NULL")) {
                ps.setString(1, projectRoot);
                ps.setString(2, name);
                return first(ps);
            }
        });
    }

    @Override
    public Optional<String> agentIdForProcess(AgentProcess p) {
        // Within the tolerance, the nearest: a hub restarted after the clock moved reads its agents' start times a
        // second off, and an exact match made their agents new ones (unbound agents dropped out of their project).
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id FROM agent_processes WHERE machine = ? AND pid = ?"
                    + " AND start_ms BETWEEN ? AND ? ORDER BY abs(start_ms - ?), seen_at DESC LIMIT 1")) {
                ps.setString(1, db.machine());
                ps.setLong(2, p.pid());
                ps.setLong(3, p.startMillis() - AgentProcess.START_TOLERANCE_MS);
                ps.setLong(4, p.startMillis() + AgentProcess.START_TOLERANCE_MS);
                ps.setLong(5, p.startMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void save(Agent a) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                int i = 1;
                ps.setString(i++, a.agentId());
                ps.setString(i++, a.sessionId());
                ps.setString(i++, a.binding().wireName());
                ps.setString(i++, a.clientType().wireName());
                ps.setString(i++, a.clientName());
                ps.setString(i++, a.clientVersion());
                ps.setString(i++, a.projectRoot());
                ps.setString(i++, a.cwd());
                ps.setString(i++, a.name());
                ps.setString(i++, a.purpose());
                setInstant(ps, i++, a.stateUpdatedAt());
                setLong(ps, i++, a.process() == null ? null : a.process().pid());
                setLong(ps, i++, a.process() == null ? null : a.process().startMillis());
                TerminalLocation t = a.terminal() == null ? TerminalLocation.NONE : a.terminal();
                ps.setString(i++, t.kind());
                ps.setString(i++, t.session());
                ps.setString(i++, t.pane());
                ps.setString(i++, t.window());
                ps.setInt(i++, t.verified() ? 1 : 0);
                ps.setString(i++, a.activity().wireName());
                setInstant(ps, i++, a.activityAt());
                setInstant(ps, i++, a.lastToolCallAt());
                setInstant(ps, i++, a.createdAt());
                setInstant(ps, i++, a.lastSeenAt());
                ps.setInt(i++, a.online() ? 1 : 0);
                setInstant(ps, i++, a.offlineAt());
                setInstant(ps, i++, a.retiredAt());
                ps.setString(i++, a.transcriptPath());
                setInstant(ps, i, a.hookAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void linkProcess(AgentProcess p, String agentId, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_processes (pid, start_ms, agent_id, seen_at)"
                    + " VALUES (?,?,?,?) ON CONFLICT (pid, start_ms) DO UPDATE SET agent_id = excluded.agent_id,"
                    + " seen_at = excluded.seen_at, machine = excluded.machine")) {
                ps.setLong(1, p.pid());
                ps.setLong(2, p.startMillis());
                ps.setString(3, agentId);
                ps.setLong(4, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AgentProcess> processesOf(String agentId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pid, start_ms FROM agent_processes WHERE agent_id = ? AND machine = ? ORDER BY seen_at DESC")) {
                ps.setString(1, agentId);
                ps.setString(2, db.machine());
                List<AgentProcess> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new AgentProcess(rs.getLong(1), rs.getLong(2)));
                }
                return out;
            }
        });
    }

    @Override
    public void rename(String from, String to) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET agent_id = ? WHERE agent_id = ?")) {
                ps.setString(1, to);
                ps.setString(2, from);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void mergeInto(String from, String into) {
        db.write(c -> {
            // Everything that points at the merged row follows it: processes, messages sent and received, asks.
            // The merged row's read settings survive: an opt-out is kept, a known environment fills a missing one.
            try (PreparedStatement keep = c.prepareStatement("UPDATE agents SET"
                    + " readable = least(agents.readable, coalesce(f.readable, 1)), read_env = coalesce(agents.read_env, f.read_env)"
                    + " FROM agents f WHERE f.agent_id = ? AND agents.agent_id = ?")) {
                keep.setString(1, from);
                keep.setString(2, into);
                keep.executeUpdate();
            }
            // SQLite's UPDATE OR REPLACE: a claim the merged agent held replaces the one of the same pattern it joins
            try (PreparedStatement replaced = c.prepareStatement("DELETE FROM claims c WHERE c.holder_id = ? AND EXISTS"
                    + " (SELECT 1 FROM claims f WHERE f.holder_id = ? AND f.project_root = c.project_root AND f.pattern = c.pattern)")) {
                replaced.setString(1, into);
                replaced.setString(2, from);
                replaced.executeUpdate();
            }
            for (String sql : List.of("UPDATE agent_processes SET agent_id = ? WHERE agent_id = ?",
                    "UPDATE messages SET sender_id = ? WHERE sender_id = ?",
                    "UPDATE messages SET recipient_id = ? WHERE recipient_id = ?",
                    "UPDATE asks SET requester_id = ? WHERE requester_id = ?",
                    "UPDATE asks SET target_id = ? WHERE target_id = ?",
                    "UPDATE wakes SET target_id = ? WHERE target_id = ?",
                    "UPDATE claims SET holder_id = ? WHERE holder_id = ?")) {
                try (PreparedStatement move = c.prepareStatement(sql)) {
                    move.setString(1, into);
                    move.setString(2, from);
                    move.executeUpdate();
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM agents WHERE agent_id = ?")) {
                del.setString(1, from);
                return del.executeUpdate();
            }
        });
    }

    @Override
    public List<Agent> listProject(String projectRoot, boolean includeRetired) {
        return many("SELECT " + READ + " FROM agents WHERE project_root = ?"
                + (includeRetired ? "" : " AND retired_at IS NULL") + ORDER, projectRoot);
    }

    @Override
    public List<Agent> listAll(boolean includeRetired) {
        return many("SELECT " + READ + " FROM agents" + (includeRetired ? "" : " WHERE retired_at IS NULL") + ORDER);
    }

    @Override
    public List<Agent> listOnline() {
        // the agents whose liveness this hub can judge: its own machine's (another machine's pids mean nothing here)
        return many("SELECT " + READ + " FROM agents WHERE online = 1 AND machine = ?" + ORDER, db.machine());
    }

    @Override
    public int count() {
        return db.read(c -> {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM agents")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    @Override
    public boolean readable(String agentId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT readable FROM agents WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || rs.getInt(1) != 0;
                }
            }
        });
    }

    @Override
    public void setReadable(String agentId, boolean readable) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET readable = ? WHERE agent_id = ?")) {
                ps.setInt(1, readable ? 1 : 0);
                ps.setString(2, agentId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, String> readEnv(String agentId) {
        String json = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT read_env FROM agents WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (json == null || json.isBlank()) return Map.of();
        try {
            Map<String, String> env = new java.util.TreeMap<>();
            MiniJson.parseObject(json).forEach((k, v) -> { if (v instanceof String s) env.put(k, s); });
            return env;
        } catch (RuntimeException e) {
            return Map.of(); // written by us, so only a damaged row gets here: locate with the hub's own environment
        }
    }

    @Override
    public void setReadEnv(String agentId, Map<String, String> env) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET read_env = ? WHERE agent_id = ?")) {
                ps.setString(1, env.isEmpty() ? null : MiniJson.write(new java.util.TreeMap<>(env)));
                ps.setString(2, agentId);
                return ps.executeUpdate();
            }
        });
    }

    private Optional<Agent> one(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                return first(ps);
            }
        });
    }

    private List<Agent> many(String sql, String... args) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int k = 0; k < args.length; k++) ps.setString(k + 1, args[k]);
                List<Agent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(map(rs));
                }
                return out;
            }
        });
    }

    private Optional<Agent> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    /**
     * The agent in the current row. An agent of another machine (a shared store) is shown without what only its own
     * machine can use: its process, terminal pane and transcript file. So this hub never judges its liveness by a
     * local pid, types into a local pane of the same name, or reads a local file of the same path: its own hub does.
     */
    private Agent map(ResultSet rs) throws SQLException {
        Agent a = row(rs);
        String machine = rs.getString("machine");
        if (machine == null || machine.equals(db.machine())) return a;
        return new Agent(a.agentId(), a.sessionId(), a.binding(), a.clientType(), a.clientName(), a.clientVersion(), a.projectRoot(),
                a.cwd(), a.name(), a.purpose(), a.stateUpdatedAt(), null, TerminalLocation.NONE, a.activity(), a.activityAt(),
                a.lastToolCallAt(), a.createdAt(), a.lastSeenAt(), a.online(), a.offlineAt(), a.retiredAt(), null, a.hookAt());
    }

    private static Agent row(ResultSet rs) throws SQLException {
        Long pid = getLong(rs, "agent_pid");
        Long start = getLong(rs, "agent_start_ms");
        return new Agent(
                rs.getString("agent_id"),
                rs.getString("session_id"),
                BindingSource.fromWireName(rs.getString("binding_source")),
                ClientType.fromWireName(rs.getString("client_type")),
                rs.getString("client_name"),
                rs.getString("client_version"),
                rs.getString("project_root"),
                rs.getString("cwd"),
                rs.getString("name"),
                rs.getString("purpose"),
                getInstant(rs, "state_updated_at"),
                pid == null || pid <= 0 ? null : new AgentProcess(pid, start == null ? 0 : start),
                new TerminalLocation(rs.getString("terminal_kind"), rs.getString("terminal_session"),
                        rs.getString("terminal_pane"), rs.getString("terminal_window"), rs.getInt("terminal_verified") == 1),
                Activity.fromWireName(rs.getString("activity")),
                getInstant(rs, "activity_at"),
                getInstant(rs, "last_tool_call_at"),
                getInstant(rs, "created_at"),
                getInstant(rs, "last_seen_at"),
                rs.getInt("online") == 1,
                getInstant(rs, "offline_at"),
                getInstant(rs, "retired_at"),
                rs.getString("transcript_path"),
                getInstant(rs, "hook_at"));
    }

    private static Long getLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Instant getInstant(ResultSet rs, String col) throws SQLException {
        Long v = getLong(rs, col);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        setLong(ps, i, t == null ? null : t.toEpochMilli());
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, v);
    }
}
