-- Wakes: every wake decision and attempt, one row each, so send/ask/reply results, message_status and
-- huddle diagnose can say what was done to bring an idle recipient to its mail, by which route, and how it went.
CREATE TABLE wakes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   TEXT,
    target_id    TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    reply_to     TEXT,
    client_type  TEXT NOT NULL,
    route        TEXT,
    status       TEXT NOT NULL,
    reason       TEXT,
    attempt      INTEGER NOT NULL DEFAULT 1,
    at           INTEGER NOT NULL,
    duration_ms  INTEGER
) STRICT;

CREATE INDEX wakes_by_target ON wakes(target_id, at);
CREATE INDEX wakes_by_message ON wakes(message_id, id) WHERE message_id IS NOT NULL;
CREATE INDEX wakes_by_reply ON wakes(target_id, reply_to) WHERE reply_to IS NOT NULL;
