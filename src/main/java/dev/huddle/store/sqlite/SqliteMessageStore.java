package dev.huddle.store.sqlite;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;
import dev.huddle.store.jdbc.JdbcMessageStore;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link MessageStore} on the hub's SQLite database: a batch marked delivered in one statement, history searched by FTS5. */
public final class SqliteMessageStore extends JdbcMessageStore {
    private static final String MARK_DELIVERED =
            "UPDATE messages SET delivered_at = ?, delivered_via = ? WHERE id IN (SELECT value FROM json_each(?)) AND delivered_at IS NULL";

    public SqliteMessageStore(SqliteDatabase db) {
        super(new SqliteDialect(db));
    }

    @Override
    public int markDelivered(Collection<String> ids, Instant at, Message.DeliveryVia via) {
        if (ids.isEmpty()) return 0;
        // One statement for the whole batch (a hook confirms ~30 at once): the ids as one JSON array, one execution.
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(MARK_DELIVERED)) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, via.wireName());
                ps.setString(3, dev.huddle.protocol.MiniJson.write(List.copyOf(ids)));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Message> history(String projectRoot, String match, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM (SELECT m.* FROM messages m");
        List<Object> args = new ArrayList<>();
        if (match != null) sql.append(" JOIN messages_fts f ON f.rowid = m.seq");
        sql.append(" WHERE m.seq > ?");
        args.add(afterSeq);
        if (projectRoot != null) {
            sql.append(" AND m.project_root = ?");
            args.add(projectRoot);
        }
        if (match != null) {
            sql.append(" AND messages_fts MATCH ?");
            args.add(match);
        }
        sql.append(afterSeq > 0 ? " ORDER BY m.seq LIMIT ?) ORDER BY seq" : " ORDER BY m.seq DESC LIMIT ?) ORDER BY seq");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                return rows(ps);
            }
        });
    }
}
