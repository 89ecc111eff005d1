package dev.huddle.store.jdbc;

import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link MessageStore} in SQL, on any database a {@link SqlDialect} describes; a subclass marks a batch delivered and
 * searches the history, where the databases differ most.
 */
public abstract class JdbcMessageStore implements MessageStore {
    /** What a row of messages is read as, in this order (see {@link #message}). */
    protected static final String COLUMNS = "seq, id, project_root, sender_id, origin, recipient_id, body, request_id,"
            + " reply_to, source_message_id, action_required, wake, created_at, delivered_at, delivered_via,"
            + " obligation_state, obligation_closed_at, outcome_message_id";
    /**
     * Without statistics SQLite's planner takes messages_by_recipient for "recipient_id = ? AND delivered_at IS
     * NULL" (the two indexes look alike to it), and then walks the recipient's whole history, delivered messages
     * included: reads got slower with every message ever received (90,000 delivered + 10,000 queued: 20 ms for the
     * next 50, 67 ms for the count; with the partial index 0.1 and 0.5 ms). The partial index holds only what is
     * queued.
     */
    private static final String UNDELIVERED_INDEX = "messages_undelivered";
    /** {@link #COLUMNS} of the table aliased {@code m}, for joins. */
    private static final String M_COLUMNS = java.util.Arrays.stream(COLUMNS.split(","))
            .map(col -> "m." + col.strip()).collect(java.util.stream.Collectors.joining(", "));
    private static final int COLUMN_COUNT = COLUMNS.split(",").length;
    protected final SqlDialect db;

    protected JdbcMessageStore(SqlDialect db) {
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
        List<Message> rows = select("SELECT " + COLUMNS + " FROM messages" + db.indexedBy(UNDELIVERED_INDEX) + " WHERE recipient_id = ? AND delivered_at IS NULL"
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
        return count("SELECT count(*) FROM messages" + db.indexedBy(UNDELIVERED_INDEX) + " WHERE recipient_id = ? AND delivered_at IS NULL", recipientId);
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + M_COLUMNS + " FROM messages m" + db.indexedBy("messages_open_requests")
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
        // The message's columns come first, where message(rs) reads them by position.
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + M_COLUMNS + ", a.request_id, a.message_id, a.requester_id,"
                    + " a.target_id, a.created_at, a.state, a.reply_message_id, a.answered_at"
                    + " FROM asks a" + db.indexedBy("asks_answered") + " JOIN messages m ON m.id = a.reply_message_id"
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
                    + " WHERE a.state = 'pending' AND (" + db.nullableText() + " IS NULL OR m.project_root = ?) ORDER BY a.created_at, a.request_id"
                    + db.byteOrder())) {
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
            // the open ones only, through a partial index (V010), not a scan of every message
            try (PreparedStatement ps = c.prepareStatement(projectRoot == null
                    ? "SELECT " + COLUMNS + " FROM messages" + db.indexedBy("messages_open_obligations") + " WHERE obligation_state = 'open' ORDER BY seq"
                    : "SELECT " + COLUMNS + " FROM messages" + db.indexedBy("messages_open_by_project") + " WHERE obligation_state = 'open'"
                    + " AND project_root = ? ORDER BY seq")) {
                if (projectRoot != null) ps.setString(1, projectRoot);
                return rows(ps);
            }
        });
    }

    @Override
    public List<Unread> unreadByRecipient(String projectRoot) {
        return db.read(c -> {
            // one project: a range of messages_unread_by_project, read from the index alone (V010)
            try (PreparedStatement ps = c.prepareStatement(projectRoot == null
                    ? "SELECT recipient_id, count(*), min(created_at) FROM messages WHERE delivered_at IS NULL"
                    + " GROUP BY recipient_id ORDER BY recipient_id" + db.byteOrder()
                    : "SELECT recipient_id, count(*), min(created_at) FROM messages WHERE delivered_at IS NULL AND project_root = ?"
                    + " GROUP BY recipient_id ORDER BY recipient_id" + db.byteOrder())) {
                if (projectRoot != null) ps.setString(1, projectRoot);
                List<Unread> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Unread(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return out;
            }
        });
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

    protected static List<Message> rows(PreparedStatement ps) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(message(rs));
        }
        return out;
    }

    /** A row selected as {@link #COLUMNS} (in that order): read by position, as a lookup by name costs a scan of the names per value. */
    private static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Message.Origin.fromWireName(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getInt(11) == 1,
                rs.getString(12), Instant.ofEpochMilli(rs.getLong(13)), instant(rs, 14),
                Message.DeliveryVia.fromWireName(rs.getString(15)),
                Message.ObligationState.fromWireName(rs.getString(16)),
                instant(rs, 17), rs.getString(18));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
