-- A read request's times come from the database server's clock, not the requesting machine's (issue 19). The requester
-- sends created_at and expires_at from its own clock; a clock that runs behind made requests that were already past
-- their expiry by the server's (any machine's role may sweep expired ones, V015), and one far ahead made requests that
-- never expired. On insert the row keeps the lifetime the requester asked for (expires_at - created_at), clamped to
-- between 0 and 10 minutes, counted from the server's now(); the owning machine may not change either (V015's guard).
CREATE FUNCTION huddle_read_request_times() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    server_now BIGINT := (extract(epoch FROM now()) * 1000)::BIGINT;
BEGIN
    NEW.expires_at := server_now + LEAST(GREATEST(NEW.expires_at - NEW.created_at, 0), 600000);
    NEW.created_at := server_now;
    RETURN NEW;
END
$$;
DO $v016$
BEGIN
    EXECUTE format('ALTER FUNCTION huddle_read_request_times() SET search_path = %s, pg_catalog, pg_temp', quote_ident(current_schema()));
END
$v016$;
CREATE TRIGGER read_requests_times BEFORE INSERT ON read_requests FOR EACH ROW EXECUTE FUNCTION huddle_read_request_times();
