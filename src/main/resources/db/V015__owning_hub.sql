-- The owning hub acts for its agents (a shared store, docs/team.md). A wake that another machine's hub decided for
-- an agent of this machine is carried out by this machine's hub, which takes the decision once: carried_at.
ALTER TABLE wakes ADD COLUMN carried_at INTEGER;

-- read_session of another machine's agent: the reading hub writes a request, the agent's own hub answers it from its
-- local transcript (or says why not), the reading hub takes the answer and deletes the row. Expired rows are deleted
-- by any hub. requester_id: the reading agent, null for its machine's user (huddle read). owner: the machine whose hub
-- answers. response: JSON, bounded (256 KB).
CREATE TABLE read_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_id TEXT,
    target_id    TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    owner        TEXT NOT NULL,
    params       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    response     TEXT,
    created_at   INTEGER NOT NULL,
    answered_at  INTEGER,
    expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX read_requests_pending ON read_requests(owner, id) WHERE status = 'pending';
CREATE INDEX read_requests_expiry ON read_requests(expires_at);
-- renames and deletes of an agent find its requests by index (as V011's)
CREATE INDEX read_requests_by_target ON read_requests(target_id);
