-- PostgreSQL dialect of db/V007__deferred_wakes.sql.
CREATE INDEX wakes_refused ON wakes(at) WHERE status IN ('skipped_rate_limited', 'skipped_debounced');
