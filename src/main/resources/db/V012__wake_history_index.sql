-- The wake policy reads, for every message it decides, when its recipient was last woken and how often lately
-- (SqliteWakeStore.lastFiredAt, firedSince: target_id and status = 'will_fire'). wakes_by_target(target_id, at)
-- holds every decision, and almost none fires: with one busy recipient each send walked all its skipped rows, in
-- the send's transaction, so durable throughput fell as the table grew (issue 18). This index holds the fired ones.
CREATE INDEX wakes_fired_by_target ON wakes(target_id, at) WHERE status = 'will_fire';
