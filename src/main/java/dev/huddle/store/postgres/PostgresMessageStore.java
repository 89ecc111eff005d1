package dev.huddle.store.postgres;

import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link MessageStore} on the PostgreSQL store. */
public final class PostgresMessageStore implements MessageStore {
    private static final String COLUMNS = "seq, id, project_root, sender_id, origin, recipient_id, body, request_id,"
            + " reply_to, source_message_id, action_required, wake, created_at, delivered_at, delivered_via,"
            + " obligation_state, obligation_closed_at, outcome_message_id";
    /** {@link #COLUMNS} of the table aliased {@code m}, for joins. */
    private static final String M_COLUMNS = java.util.Arrays.stream(COLUMNS.split(","))
            .map(col -> "m." + col.strip()).collect(java.util.stream.Collectors.joining(", "));
    private static final int COLUMN_COUNT = COLUMNS.split(",").length;
    private final PostgresDatabase db;

    public PostgresMessageStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(Message m) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, project_root, sender_id, origin,"
                    + " recipient_id, body, request_id, reply_to, source_message_id, action_required, wake, created_at,"
                    + " obligation_state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int i = 1;
                ps.setString(i++, m.id());
                ps.setString(i++, m.projectRoot());
                ps.setString(i++, m.senderId());
                ps.setString(i++, m.origin().wireName());
                ps.setString(i++, m.recipientId());
                ps.setString(i++, m.body());
                ps.setString(i++, m.requestId());
                ps.setString(i++, m.replyTo());
                ps.setString(i++, m.sourceMessageId());
                ps.setInt(i++, m.actionRequired() ? 1 : 0);
                ps.setString(i++, m.wake());
                ps.setLong(i++, m.createdAt().toEpochMilli());
                ps.setString(i, m.obligation() == null ? null : m.obligation().wireName());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Message> find(String id) {
        List<Message> r = select("SELECT " + COLUMNS + " FROM messages WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
    }

    @Override
    public List<Message> undelivered(String recipientId, Set<String> excludeIds, int limit) {
        List<Message> rows = select("SELECT " + COLUMNS + " FROM messages  WHERE recipient_id = ? AND delivered_at IS NULL"
                + " ORDER BY seq LIMIT " + (limit + excludeIds.size()), recipientId);
        List<Message> out = new ArrayList<>();
        for (Message m : rows) {
            if (excludeIds.contains(m.id())) continue;
            out.add(m);
            if (out.size() == limit) break;
        }
        return out;
    }

    @Override
    public int countUndelivered(String recipientId) {
        return count("SELECT count(*) FROM messages  WHERE recipient_id = ? AND delivered_at IS NULL", recipientId);
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
    public List<Message> openObligations(String recipientId, int limit) {
        return select("SELECT " + COLUMNS + " FROM messages WHERE recipient_id = ? AND obligation_state = 'open'"
                + " ORDER BY seq LIMIT " + limit, recipientId);
    }

    @Override
    public int countOpenObligations(String recipientId) {
        return count("SELECT count(*) FROM messages WHERE recipient_id = ? AND obligation_state = 'open'", recipientId);
    }

    @Override
    public void closeObligation(String id, Message.ObligationState state, Instant at, String outcomeMessageId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET obligation_state = ?,"
                    + " obligation_closed_at = ?, outcome_message_id = ? WHERE id = ? AND obligation_state = 'open'")) {
                ps.setString(1, state.wireName());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, outcomeMessageId);
                ps.setString(4, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Message> replyFrom(String senderId, String requestId) {
        List<Message> r = select("SELECT " + COLUMNS + " FROM messages WHERE reply_to = ? AND sender_id = ? ORDER BY seq LIMIT 1",
                requestId, senderId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
    }

    @Override
    public void insertAsk(Ask a) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO asks (request_id, message_id, requester_id,"
                    + " target_id, created_at, state) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, a.requestId());
                ps.setString(2, a.messageId());
                ps.setString(3, a.requesterId());
                ps.setString(4, a.targetId());
                ps.setLong(5, a.createdAt().toEpochMilli());
                ps.setString(6, a.state().wireName());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Ask> findAsk(String requestId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, message_id, requester_id, target_id,"
                    + " created_at, state, reply_message_id, answered_at FROM asks WHERE request_id = ?")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Ask>empty();
                    return Optional.of(new Ask(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), Ask.State.fromWireName(rs.getString(6)), rs.getString(7),
                            instant(rs, 8)));
                }
            }
        });
    }

    @Override
    public void markAskAnswered(String requestId, String replyMessageId, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE asks SET state = 'answered', reply_message_id = ?,"
                    + " answered_at = ? WHERE request_id = ? AND state = 'pending'")) {
                ps.setString(1, replyMessageId);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, requestId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Message> undeliveredOpenRequests(Instant since) {
        // The last two terms restate messages_open_requests' own condition, so the planner can use that partial index.
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + M_COLUMNS + " FROM messages m"
                    + " LEFT JOIN asks a ON a.request_id = m.request_id"
                    + " WHERE m.created_at >= ? AND m.delivered_at IS NULL AND (m.action_required = 1 OR m.request_id IS NOT NULL)"
                    + " AND ((m.action_required = 1 AND m.obligation_state = 'open') OR a.state = 'pending')"
                    + " ORDER BY m.created_at")) {
                ps.setLong(1, since.toEpochMilli());
                return rows(ps);
            }
        });
    }

    @Override
    public List<AnsweredAsk> answeredWithUnreadReply(Instant since) {
        // The message's columns come first: reading by name takes the first column of that name (created_at, ...).
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + M_COLUMNS + ", a.request_id, a.message_id, a.requester_id,"
                    + " a.target_id, a.created_at, a.state, a.reply_message_id, a.answered_at"
                    + " FROM asks a JOIN messages m ON m.id = a.reply_message_id"
                    + " WHERE a.state = 'answered' AND a.answered_at >= ? AND m.delivered_at IS NULL ORDER BY a.answered_at")) {
                ps.setLong(1, since.toEpochMilli());
                List<AnsweredAsk> out = new ArrayList<>();
                int k = COLUMN_COUNT;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Ask a = new Ask(rs.getString(k + 1), rs.getString(k + 2), rs.getString(k + 3), rs.getString(k + 4),
                                Instant.ofEpochMilli(rs.getLong(k + 5)), Ask.State.fromWireName(rs.getString(k + 6)),
                                rs.getString(k + 7), instant(rs, k + 8));
                        out.add(new AnsweredAsk(a, message(rs)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Ask> pendingAsks(String projectRoot) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.request_id, a.message_id, a.requester_id, a.target_id,"
                    + " a.created_at, a.state, a.reply_message_id, a.answered_at FROM asks a JOIN messages m ON m.id = a.message_id"
                    + " WHERE a.state = 'pending' AND (CAST(? AS TEXT) IS NULL OR m.project_root = ?) ORDER BY a.created_at, a.request_id COLLATE \"C\"")) {
                ps.setString(1, projectRoot);
                ps.setString(2, projectRoot);
                List<Ask> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Ask(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)), Ask.State.fromWireName(rs.getString(6)), rs.getString(7),
                                instant(rs, 8)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Message> openObligationsIn(String projectRoot) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(projectRoot == null
                    ? "SELECT " + COLUMNS + " FROM messages WHERE obligation_state = 'open' ORDER BY seq"
                    : "SELECT " + COLUMNS + " FROM messages WHERE obligation_state = 'open'"
                    + " AND project_root = ? ORDER BY seq")) {
                if (projectRoot != null) ps.setString(1, projectRoot);
                return rows(ps);
            }
        });
    }

    @Override
    public List<Unread> unreadByRecipient(String projectRoot) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(projectRoot == null
                    ? "SELECT recipient_id, count(*), min(created_at) FROM messages WHERE delivered_at IS NULL"
                    + " GROUP BY recipient_id ORDER BY recipient_id COLLATE \"C\""
                    : "SELECT recipient_id, count(*), min(created_at) FROM messages WHERE delivered_at IS NULL AND project_root = ?"
                    + " GROUP BY recipient_id ORDER BY recipient_id COLLATE \"C\"")) {
                if (projectRoot != null) ps.setString(1, projectRoot);
                List<Unread> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Unread(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return out;
            }
        });
    }

    @Override
    public List<Message> history(String projectRoot, String match, long afterSeq, int limit) {
        String order = afterSeq > 0 ? " ORDER BY m.seq LIMIT ?) page ORDER BY seq" : " ORDER BY m.seq DESC LIMIT ?) page ORDER BY seq";
        // the hub's match is an FTS5 phrase ("words", quotes doubled): the same phrase of words here, in any case
        String sql = "SELECT * FROM (SELECT m.* FROM messages m WHERE m.seq > ? AND (CAST(? AS TEXT) IS NULL OR m.project_root = ?) AND (CAST(? AS TEXT) IS NULL OR to_tsvector('simple', m.body) @@ phraseto_tsquery('simple', ?))"
                + order;
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

    private List<Message> select(String sql, String... args) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
                return rows(ps);
            }
        });
    }

    private int count(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private static List<Message> rows(PreparedStatement ps) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(message(rs));
        }
        return out;
    }

    /** The message in the current row, read by column name. */
    private static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getLong("seq"), rs.getString("id"), rs.getString("project_root"),
                rs.getString("sender_id"), Message.Origin.fromWireName(rs.getString("origin")),
                rs.getString("recipient_id"), rs.getString("body"), rs.getString("request_id"),
                rs.getString("reply_to"), rs.getString("source_message_id"), rs.getInt("action_required") == 1,
                rs.getString("wake"), Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "delivered_at"),
                Message.DeliveryVia.fromWireName(rs.getString("delivered_via")),
                Message.ObligationState.fromWireName(rs.getString("obligation_state")),
                instant(rs, "obligation_closed_at"), rs.getString("outcome_message_id"));
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
