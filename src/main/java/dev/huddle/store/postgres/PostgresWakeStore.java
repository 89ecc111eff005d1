package dev.huddle.store.postgres;

import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;
import dev.huddle.store.jdbc.JdbcWakeStore;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/** {@link WakeStore} on the PostgreSQL store. */
public final class PostgresWakeStore extends JdbcWakeStore {
    private final PostgresDialect db;
    private final String machine;

    public PostgresWakeStore(PostgresDatabase db) {
        super(new PostgresDialect(db));
        this.db = new PostgresDialect(db);
        this.machine = db.machine();
    }

    /** As SQLite orders: nulls first, text by its bytes. */
    @Override
    protected String summaryOrder() {
        return " ORDER BY route COLLATE \"C\" NULLS FIRST, client_type COLLATE \"C\" NULLS FIRST, count(*) DESC";
    }

    /** Decisions another machine's hub wrote (wakes.machine) for an agent of this machine (agents.machine). */
    @Override
    public List<WakeRecord> owedHere(Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wakes w"
                    + " WHERE w.status = 'will_fire' AND w.at >= ? AND w.carried_at IS NULL AND w.message_id IS NOT NULL"
                    + " AND w.machine IS DISTINCT FROM ?"
                    + " AND EXISTS (SELECT 1 FROM agents a WHERE a.agent_id = w.target_id AND a.machine = ?)"
                    // only a decision on a message its own machine wrote to that agent: a machine's role writes messages
                    // only as itself (V014), so a third machine cannot make this hub nudge an agent it sent nothing
                    + " AND EXISTS (SELECT 1 FROM messages m WHERE m.id = w.message_id AND m.recipient_id = w.target_id"
                    + " AND m.machine IS NOT DISTINCT FROM w.machine)"
                    // ended by a later row of the deciding machine (a retry) or of this one (its outcome) alone: any machine
                    // may record wake rows, and a third one must not cancel what is owed here by writing one
                    + " AND NOT EXISTS (SELECT 1 FROM wakes l WHERE l.message_id = w.message_id AND l.target_id = w.target_id AND l.id > w.id"
                    + " AND (l.machine IS NOT DISTINCT FROM w.machine OR l.machine = ?))"
                    + " ORDER BY w.id")) {
                ps.setLong(1, since.toEpochMilli());
                ps.setString(2, machine);
                ps.setString(3, machine);
                ps.setString(4, machine);
                return read(ps);
            }
        });
    }

    /** Under the lock every hub's writes take, so one hub takes a decision, once. */
    @Override
    public boolean take(long id, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE wakes SET carried_at = ? WHERE id = ? AND carried_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
