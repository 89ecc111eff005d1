-- One row per machine's hub (issue 19): who it is and when it last said so. A store several machines' hubs share
-- (PostgreSQL) uses it to show the agents of a machine whose hub went silent offline to the others; a machine's own
-- SQLite store has one hub, so nothing beats here (the table keeps both schemas numbered alike).
-- Times are epoch milliseconds; on PostgreSQL last_heartbeat is the server's clock, so the hubs' clocks do not matter.
CREATE TABLE hubs (
    machine        TEXT PRIMARY KEY,
    version        TEXT NOT NULL,
    pid            INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    stopped_at     INTEGER,
    rtt_ms         INTEGER,
    skew_ms        INTEGER,
    notify_lag_us  INTEGER
);
