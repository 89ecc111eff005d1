-- Messages: one row per recipient. seq orders delivery; id is the stable message id.
CREATE TABLE messages (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    id                   TEXT NOT NULL UNIQUE,
    project_root         TEXT NOT NULL,
    sender_id            TEXT REFERENCES agents(agent_id) ON UPDATE CASCADE,
    origin               TEXT NOT NULL,
    recipient_id         TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE,
    body                 TEXT NOT NULL,
    request_id           TEXT,
    reply_to             TEXT,
    source_message_id    TEXT,
    action_required      INTEGER NOT NULL DEFAULT 0,
    wake                 TEXT,
    created_at           INTEGER NOT NULL,
    delivered_at         INTEGER,
    delivered_via        TEXT,
    obligation_state     TEXT,
    obligation_closed_at INTEGER,
    outcome_message_id   TEXT
) STRICT;

CREATE INDEX messages_undelivered ON messages(recipient_id, seq) WHERE delivered_at IS NULL;
CREATE INDEX messages_by_recipient ON messages(recipient_id, seq);
CREATE INDEX messages_by_project ON messages(project_root, seq);
CREATE INDEX messages_replies ON messages(reply_to) WHERE reply_to IS NOT NULL;
CREATE INDEX messages_open_obligations ON messages(recipient_id, seq) WHERE obligation_state = 'open';

-- Asks: a pending ask outlives its waiter (timeout, cancellation, hub restart), so a late reply still counts.
CREATE TABLE asks (
    request_id       TEXT PRIMARY KEY,
    message_id       TEXT NOT NULL,
    requester_id     TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE,
    target_id        TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE,
    created_at       INTEGER NOT NULL,
    state            TEXT NOT NULL,
    reply_message_id TEXT,
    answered_at      INTEGER
) STRICT;

-- Full-text search over message bodies (external content: the text lives once, in messages).
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', content_rowid='seq');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
