-- PostgreSQL dialect of db/V013__hubs.sql (same meaning). Each hub upserts its own row every 2 s, last_heartbeat from
-- the server's clock (now()), stopped_at when it stops in order. rtt_ms: the beat's round trip as the hub timed it;
-- skew_ms: the hub's clock minus the server's at the beat; notify_lag_us: how long after its beat's NOTIFY committed
-- the hub's listening connection had it (one clock, the hub's). No NOTIFY trigger: a beat must not wake every hub's
-- waiters (its notice goes to its own channel, huddle_beats, which no waiter listens to).
CREATE TABLE hubs (
    machine        TEXT PRIMARY KEY,
    version        TEXT NOT NULL,
    pid            BIGINT NOT NULL,
    started_at     BIGINT NOT NULL,
    last_heartbeat BIGINT NOT NULL,
    stopped_at     BIGINT,
    rtt_ms         BIGINT,
    skew_ms        BIGINT,
    notify_lag_us  BIGINT
);
