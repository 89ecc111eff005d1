package dev.huddle.store.jdbc;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.store.AgentStore;
import dev.huddle.protocol.MiniJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AgentStore} in SQL, on any database a {@link SqlDialect} describes. A store several machines share (see
 * {@link #machine}) keeps each machine's processes apart; a subclass says how a merge keeps read settings and claims.
 */
public abstract class JdbcAgentStore implements AgentStore {
    /** What a row of agents is read as, in this order (see {@link #map}). */
    protected static final String COLUMNS = "agent_id, session_id, binding_source, client_type, client_name, client_version,"
            + " project_root, cwd, name, purpose, state_updated_at, agent_pid, agent_start_ms, terminal_kind,"
            + " terminal_session, terminal_pane, terminal_window, terminal_verified, activity, activity_at,"
            + " last_tool_call_at, created_at, last_seen_at, online, offline_at, retired_at, transcript_path, hook_at";
    protected final SqlDialect db;
    /** An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the delete would cascade. */
    private final String upsert;
    /** What is read of a row: {@link #COLUMNS} first, then what the subclass needs in {@link #seen}. */
    private final String read;
    private final String order;
    /** The machine whose processes this hub sees, or null when no other machine shares the store. */
    private final String machine;
    /**
     * The agent id linked to a process ({@link #processLinkArgs}): within the tolerance, the nearest, since a hub
     * restarted after the clock moved reads its agents' start times a second off, and an exact match made their agents
     * new ones (unbound agents dropped out of their project).
     */
    private final String processLink;

    protected JdbcAgentStore(SqlDialect db, String read, String machine) {
        this.db = db;
        this.read = read;
        this.machine = machine;
        this.processLink = "SELECT agent_id FROM agent_processes WHERE " + (machine == null ? "" : "machine = ? AND ") + "pid = ?"
                + " AND start_ms BETWEEN ? AND ? ORDER BY abs(start_ms - ?), seen_at DESC LIMIT 1";
        this.upsert = "INSERT INTO agents (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET "
                + java.util.Arrays.stream(COLUMNS.split(",")).map(String::strip).filter(col -> !col.equals("agent_id"))
                        .map(this::onConflict).collect(java.util.stream.Collectors.joining(", "));
        this.order = " ORDER BY project_root" + db.byteOrder() + ", created_at, agent_id" + db.byteOrder();
    }

    /** How the upsert sets {@code col} of a row that exists (called by the constructor: use no instance state). */
    protected String onConflict(String col) {
        return col + " = excluded." + col;
    }

    /** The condition that the name is ? in any case. */
    protected abstract String sameName();

    /** Carries the merged row's read settings into {@code into}: an opt-out is kept, a known environment fills a missing one. */
    protected abstract void keepReadSettings(Connection c, String from, String into) throws SQLException;

    /** Moves {@code from}'s claims to {@code into}: one of the same pattern replaces the one {@code into} held. */
    protected abstract void moveClaims(Connection c, String from, String into) throws SQLException;

    /** The agent as this hub shows it, from the row {@link #map} read. */
    protected Agent seen(Agent a, ResultSet rs) throws SQLException {
        return a;
    }

    @Override
    public Optional<Agent> find(String agentId) {
        return one("SELECT " + read + " FROM agents WHERE agent_id = ?", agentId);
    }

    @Override
    public Optional<Agent> findBySessionId(String sessionId) {
        return one("SELECT " + read + " FROM agents WHERE session_id = ?", sessionId);
    }

    @Override
    public Optional<Agent> findByName(String projectRoot, String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + read
                    + " FROM agents WHERE project_root = ? AND " + sameName() + " AND retired_at IS NULL")) {
                ps.setString(1, projectRoot);
                ps.setString(2, name);
                return first(ps);
            }
        });
    }

    @Override
    public Optional<String> agentIdForProcess(AgentProcess p) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(processLink)) {
                processLinkArgs(ps, p);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** A tool call of a front its process speaks for looks its agent up like this: one round trip, not two. */
    @Override
    public Optional<Agent> findForProcess(AgentProcess p) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + read + " FROM agents WHERE agent_id = (" + processLink + ")")) {
                processLinkArgs(ps, p);
                return first(ps);
            }
        });
    }

    private void processLinkArgs(PreparedStatement ps, AgentProcess p) throws SQLException {
        int i = 1;
        if (machine != null) ps.setString(i++, machine);
        ps.setLong(i++, p.pid());
        ps.setLong(i++, p.startMillis() - AgentProcess.START_TOLERANCE_MS);
        ps.setLong(i++, p.startMillis() + AgentProcess.START_TOLERANCE_MS);
        ps.setLong(i, p.startMillis());
    }

    @Override
    public void save(Agent a) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
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
                    + " seen_at = excluded.seen_at" + (machine == null ? "" : ", machine = excluded.machine"))) {
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
                    "SELECT pid, start_ms FROM agent_processes WHERE agent_id = ?" + (machine == null ? "" : " AND machine = ?")
                    + " ORDER BY seen_at DESC")) {
                ps.setString(1, agentId);
                if (machine != null) ps.setString(2, machine);
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
        db.transaction(c -> {
            // Everything that points at the merged row follows it: processes, messages sent and received, asks.
            keepReadSettings(c, from, into);
            for (String sql : List.of("UPDATE agent_processes SET agent_id = ? WHERE agent_id = ?",
                    "UPDATE messages SET sender_id = ? WHERE sender_id = ?",
                    "UPDATE messages SET recipient_id = ? WHERE recipient_id = ?",
                    "UPDATE asks SET requester_id = ? WHERE requester_id = ?",
                    "UPDATE asks SET target_id = ? WHERE target_id = ?",
                    "UPDATE wakes SET target_id = ? WHERE target_id = ?")) {
                try (PreparedStatement move = c.prepareStatement(sql)) {
                    move.setString(1, into);
                    move.setString(2, from);
                    move.executeUpdate();
                }
            }
            moveClaims(c, from, into);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM agents WHERE agent_id = ?")) {
                del.setString(1, from);
                return del.executeUpdate();
            }
        });
    }

    @Override
    public List<Agent> listProject(String projectRoot, boolean includeRetired) {
        return many("SELECT " + read + " FROM agents WHERE project_root = ?"
                + (includeRetired ? "" : " AND retired_at IS NULL") + order, projectRoot);
    }

    @Override
    public List<Agent> listAll(boolean includeRetired) {
        return many("SELECT " + read + " FROM agents" + (includeRetired ? "" : " WHERE retired_at IS NULL") + order);
    }

    @Override
    public List<Agent> listOnline() {
        // a shared store: the agents whose liveness this hub can judge, its own machine's (another's pids mean nothing here)
        return machine == null ? many("SELECT " + read + " FROM agents WHERE online = 1" + order)
                : many("SELECT " + read + " FROM agents WHERE online = 1 AND machine = ?" + order, machine);
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

    private Agent map(ResultSet rs) throws SQLException {
        return seen(row(rs), rs);
    }

    /** Reads a row of {@link #COLUMNS} by position: by name, sqlite-jdbc looks each column up anew per result set. */
    private static Agent row(ResultSet rs) throws SQLException {
        Long pid = getLong(rs, 12);
        Long start = getLong(rs, 13);
        return new Agent(
                rs.getString(1),
                rs.getString(2),
                BindingSource.fromWireName(rs.getString(3)),
                ClientType.fromWireName(rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                getInstant(rs, 11),
                pid == null || pid <= 0 ? null : new AgentProcess(pid, start == null ? 0 : start),
                new TerminalLocation(rs.getString(14), rs.getString(15),
                        rs.getString(16), rs.getString(17), rs.getInt(18) == 1),
                Activity.fromWireName(rs.getString(19)),
                getInstant(rs, 20),
                getInstant(rs, 21),
                getInstant(rs, 22),
                getInstant(rs, 23),
                rs.getInt(24) == 1,
                getInstant(rs, 25),
                getInstant(rs, 26),
                rs.getString(27),
                getInstant(rs, 28),
                null);
    }

    private static Long getLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Instant getInstant(ResultSet rs, int col) throws SQLException {
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
