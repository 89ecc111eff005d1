-- Deferred wakes: a message's wake that the debounce or the rate limit refused is decided again by the hub's
-- timers once they allow it. Their scan, one per look: the recent refusals.
CREATE INDEX wakes_refused ON wakes(at) WHERE status IN ('skipped_rate_limited', 'skipped_debounced');
