-- PostgreSQL dialect of db/V012__wake_history_index.sql.
CREATE INDEX wakes_fired_by_target ON wakes(target_id, at) WHERE status = 'will_fire';
