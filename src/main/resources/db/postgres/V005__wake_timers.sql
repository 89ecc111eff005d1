-- PostgreSQL dialect of db/V005__wake_timers.sql.
ALTER TABLE wakes ADD COLUMN kind TEXT;
CREATE INDEX wakes_decisions ON wakes(at) WHERE status = 'will_fire';
CREATE INDEX messages_open_requests ON messages(created_at)
    WHERE delivered_at IS NULL AND (action_required = 1 OR request_id IS NOT NULL);
CREATE INDEX asks_answered ON asks(answered_at) WHERE state = 'answered';
