package dev.huddle.store.postgres;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;
import dev.huddle.store.jdbc.JdbcMessageStore;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** {@link MessageStore} on the PostgreSQL store: history searched by a text search of the same phrase. */
public final class PostgresMessageStore extends JdbcMessageStore {
    public PostgresMessageStore(PostgresDatabase db) {
        super(new PostgresDialect(db));
    }

    @Override
    public int markDelivered(Collection<String> ids, Instant at, Message.DeliveryVia via) {
        if (ids.isEmpty()) return 0;
        return db.write(c -> {
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE messages SET delivered_at = ?, delivered_via = ? WHERE id = ? AND delivered_at IS NULL")) {
                for (String id : ids) {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, via.wireName());
                    ps.setString(3, id);
                    changed += ps.executeUpdate();
                }
            }
            return changed;
        });
    }

    @Override
    public List<Message> history(String projectRoot, String match, long afterSeq, int limit) {
        String order = afterSeq > 0 ? " ORDER BY m.seq LIMIT ?) page ORDER BY seq" : " ORDER BY m.seq DESC LIMIT ?) page ORDER BY seq";
        // the hub's match is an FTS5 phrase ("words", quotes doubled): the same phrase of words here, in any case
        String page = "SELECT m.* FROM messages m WHERE m.seq > ? AND (CAST(? AS TEXT) IS NULL OR m.project_root = ?) AND (CAST(? AS TEXT) IS NULL OR to_tsvector('simple', m.body) @@ phraseto_tsquery('simple', ?))";
        // the columns named, in their order: a row is read by position
        String sql = "SELECT " + COLUMNS + " FROM (" + page + order;
        String words = match == null ? null : phrase(match);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, afterSeq);
                ps.setString(2, projectRoot);
                ps.setString(3, projectRoot);
                ps.setString(4, words);
                ps.setString(5, words);
                ps.setInt(6, limit);
                return rows(ps);
            }
        });
    }

    /** The words of an FTS5 phrase query. */
    static String phrase(String match) {
        String m = match.strip();
        if (m.length() >= 2 && m.startsWith("\"") && m.endsWith("\"")) m = m.substring(1, m.length() - 1).replace("\"\"", "\"");
        return m;
    }
}
