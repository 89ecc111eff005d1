-- The hub's reliability timers (retry an unconfirmed wake, re-poke a silent delegate, pull back a requester) keep
-- no state of their own: they read it from these tables at every look, so a restarted hub carries on.
-- kind: what prompted the wake (send, reply, ask, action_required, outcome, operator, or the timers' retry,
-- repoke, pull_back); null on rows from before this migration.
ALTER TABLE wakes ADD COLUMN kind TEXT;
-- The timers' scans, one per look: recent wake decisions, open requests not yet delivered, recently answered asks.
CREATE INDEX wakes_decisions ON wakes(at) WHERE status = 'will_fire';
CREATE INDEX messages_open_requests ON messages(created_at)
    WHERE delivered_at IS NULL AND (action_required = 1 OR request_id IS NOT NULL);
CREATE INDEX asks_answered ON asks(answered_at) WHERE state = 'answered';
