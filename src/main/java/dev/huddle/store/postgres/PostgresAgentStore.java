package dev.huddle.store.postgres;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.HubHeartbeat;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.store.AgentStore;
import dev.huddle.store.jdbc.JdbcAgentStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** {@link AgentStore} on the PostgreSQL store, which several machines' hubs may share. */
public final class PostgresAgentStore extends JdbcAgentStore {
    /**
     * What only the agent's own machine knows or decides (see {@link #seen}): another machine's hub never overwrites it.
     * Its liveness too: another hub shows it offline while its machine is silent, and a save of what it was shown (a
     * name taken over, a retirement) must not write that into the row its own hub keeps.
     */
    private static final Set<String> LOCAL = Set.of("agent_pid", "agent_start_ms", "terminal_kind", "terminal_session",
            "terminal_pane", "terminal_window", "terminal_verified", "transcript_path", "online", "offline_at");
    /** The server's clock in epoch milliseconds (every time of the heartbeat is the server's: see {@link HubHeartbeat}). */
    static final String SERVER_NOW_MS = "(extract(epoch from now()) * 1000)::bigint";
    /** What is read besides the columns: the owning machine, and its hub's heartbeat against the server's clock. */
    private static final String OWNER = ", machine, (SELECT h.last_heartbeat FROM hubs h WHERE h.machine = agents.machine) AS hub_beat,"
            + " (SELECT h.stopped_at FROM hubs h WHERE h.machine = agents.machine) AS hub_stopped, " + SERVER_NOW_MS + " AS server_now";

    private final String machine;
    private final boolean restricted;

    public PostgresAgentStore(PostgresDatabase db) {
        // what is read: the columns, and the machine whose hub made the row (the agent's own machine)
        super(new PostgresDialect(db), COLUMNS + OWNER, db.machine());
        this.machine = db.machine();
        this.restricted = db.role() != null && db.role().restricted();
    }

    /** A machine's own role changes only its machine's agents (row-level security would refuse the rest). */
    @Override
    public boolean mayChange(String agentId) {
        if (!restricted) return true;
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT machine FROM agents WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || machine.equals(rs.getString(1));
                }
            }
        });
    }

    /** excluded.machine is the writer's (the column's default). */
    @Override
    protected String onConflict(String col) {
        return LOCAL.contains(col)
                ? col + " = CASE WHEN agents.machine IS DISTINCT FROM excluded.machine THEN agents." + col + " ELSE excluded." + col + " END"
                : col + " = excluded." + col;
    }

    @Override
    protected String sameName() {
        return "lower(name) = lower(?)";
    }

    @Override
    protected void keepReadSettings(Connection c, String from, String into) throws SQLException {
        try (PreparedStatement keep = c.prepareStatement("UPDATE agents SET"
                + " readable = least(agents.readable, coalesce(f.readable, 1)), read_env = coalesce(agents.read_env, f.read_env)"
                + " FROM agents f WHERE f.agent_id = ? AND agents.agent_id = ?")) {
            keep.setString(1, from);
            keep.setString(2, into);
            keep.executeUpdate();
        }
    }

    /** SQLite's UPDATE OR REPLACE: a claim the merged agent held replaces the one of the same pattern it joins. */
    @Override
    protected void moveClaims(Connection c, String from, String into) throws SQLException {
        try (PreparedStatement replaced = c.prepareStatement("DELETE FROM claims c WHERE c.holder_id = ? AND EXISTS"
                + " (SELECT 1 FROM claims f WHERE f.holder_id = ? AND f.project_root = c.project_root AND f.pattern = c.pattern)")) {
            replaced.setString(1, into);
            replaced.setString(2, from);
            replaced.executeUpdate();
        }
        try (PreparedStatement move = c.prepareStatement("UPDATE claims SET holder_id = ? WHERE holder_id = ?")) {
            move.setString(1, into);
            move.setString(2, from);
            move.executeUpdate();
        }
    }

    @Override
    public Optional<String> otherMachine(String agentId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT machine FROM agents WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    String owner = rs.next() ? rs.getString(1) : null;
                    return owner == null || owner.equals(machine) ? Optional.<String>empty() : Optional.of(owner);
                }
            }
        });
    }

    /**
     * An agent of another machine (a shared store) is shown without what only its own machine can use: its process,
     * terminal pane and transcript file. So this hub never judges its liveness by a local pid, types into a local pane
     * of the same name, or reads a local file of the same path: its own hub does. While its machine's hub is silent
     * ({@link HubHeartbeat#silent}) it is shown offline since then: every listing, target check and wake decision reads
     * agents through here, so this is the one place that rule is applied (its messages wait, as for any offline agent).
     */
    @Override
    protected Agent seen(Agent a, ResultSet rs) throws SQLException {
        String owner = rs.getString("machine");
        if (owner == null || owner.equals(machine)) return a;
        Agent remote = new Agent(a.agentId(), a.sessionId(), a.binding(), a.clientType(), a.clientName(), a.clientVersion(), a.projectRoot(),
                a.cwd(), a.name(), a.purpose(), a.stateUpdatedAt(), null, TerminalLocation.NONE, a.activity(), a.activityAt(),
                a.lastToolCallAt(), a.createdAt(), a.lastSeenAt(), a.online(), a.offlineAt(), a.retiredAt(), null, a.hookAt(), null);
        if (!remote.online()) return remote;
        HubHeartbeat hub = new HubHeartbeat(owner, instant(rs, "hub_beat"), instant(rs, "hub_stopped"),
                Instant.ofEpochMilli(rs.getLong("server_now")));
        return hub.silent() ? remote.shownOffline(hub.silentSince(), hub.reason()) : remote;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}
