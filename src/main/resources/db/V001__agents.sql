-- Agents: one row per agent session. agent_id is the client's own session id once known,
-- or a provisional 'p-<hex>' id derived from the agent process until then.
CREATE TABLE agents (
    agent_id         TEXT PRIMARY KEY,
    session_id       TEXT UNIQUE,
    binding_source   TEXT NOT NULL,
    client_type      TEXT NOT NULL,
    client_name      TEXT,
    client_version   TEXT,
    project_root     TEXT NOT NULL,
    cwd              TEXT NOT NULL,
    name             TEXT,
    purpose          TEXT,
    state_updated_at INTEGER,
    agent_pid        INTEGER,
    agent_start_ms   INTEGER,
    terminal_kind    TEXT NOT NULL DEFAULT 'none',
    terminal_session TEXT,
    terminal_pane    TEXT,
    terminal_window  TEXT,
    terminal_verified INTEGER NOT NULL DEFAULT 0,
    activity         TEXT NOT NULL DEFAULT 'unknown',
    activity_at      INTEGER,
    last_tool_call_at INTEGER,
    created_at       INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL,
    online           INTEGER NOT NULL DEFAULT 1,
    offline_at       INTEGER,
    retired_at       INTEGER
) STRICT;

CREATE INDEX agents_by_project ON agents(project_root);
-- A name addresses one agent per project; retired agents give their name up.
CREATE UNIQUE INDEX agents_name_per_project ON agents(project_root, name COLLATE NOCASE)
    WHERE name IS NOT NULL AND retired_at IS NULL;

-- Agent processes (pid + start time, safe against pid reuse) and the agent each one hosts.
-- Fronts and hooks of one session meet here: a front's parent and a hook's $PPID are the same process.
CREATE TABLE agent_processes (
    pid        INTEGER NOT NULL,
    start_ms   INTEGER NOT NULL,
    agent_id   TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (pid, start_ms)
) STRICT;

CREATE INDEX agent_processes_by_agent ON agent_processes(agent_id);
