-- PostgreSQL dialect of db/V001__agents.sql (same meaning). Times are epoch milliseconds, flags 0/1, as on SQLite.
-- machine: the machine whose hub wrote the row (its connection's huddle.machine setting, from HUDDLE_MACHINE).
-- Every table NOTIFYs huddle_changes in the writing transaction (delivered at commit): other hubs' live views learn
-- of the row without polling.
CREATE FUNCTION huddle_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('huddle_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TABLE agents (
    agent_id          TEXT PRIMARY KEY,
    session_id        TEXT UNIQUE,
    binding_source    TEXT NOT NULL,
    client_type       TEXT NOT NULL,
    client_name       TEXT,
    client_version    TEXT,
    project_root      TEXT NOT NULL,
    cwd               TEXT NOT NULL,
    name              TEXT,
    purpose           TEXT,
    state_updated_at  BIGINT,
    agent_pid         BIGINT,
    agent_start_ms    BIGINT,
    terminal_kind     TEXT NOT NULL DEFAULT 'none',
    terminal_session  TEXT,
    terminal_pane     TEXT,
    terminal_window   TEXT,
    terminal_verified INTEGER NOT NULL DEFAULT 0,
    activity          TEXT NOT NULL DEFAULT 'unknown',
    activity_at       BIGINT,
    last_tool_call_at BIGINT,
    created_at        BIGINT NOT NULL,
    last_seen_at      BIGINT NOT NULL,
    online            INTEGER NOT NULL DEFAULT 1,
    offline_at        BIGINT,
    retired_at        BIGINT,
    machine           TEXT DEFAULT current_setting('huddle.machine', true)
);

CREATE INDEX agents_by_project ON agents(project_root);
-- A name addresses one agent per project, compared case-insensitively; retired agents give their name up.
CREATE UNIQUE INDEX agents_name_per_project ON agents(project_root, lower(name))
    WHERE name IS NOT NULL AND retired_at IS NULL;

CREATE TABLE agent_processes (
    pid        BIGINT NOT NULL,
    start_ms   BIGINT NOT NULL,
    agent_id   TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    seen_at    BIGINT NOT NULL,
    machine    TEXT DEFAULT current_setting('huddle.machine', true),
    PRIMARY KEY (pid, start_ms)
);

CREATE INDEX agent_processes_by_agent ON agent_processes(agent_id);

CREATE TRIGGER agents_notify AFTER INSERT OR UPDATE OR DELETE ON agents FOR EACH STATEMENT EXECUTE FUNCTION huddle_notify();
CREATE TRIGGER agent_processes_notify AFTER INSERT OR UPDATE OR DELETE ON agent_processes
    FOR EACH STATEMENT EXECUTE FUNCTION huddle_notify();
