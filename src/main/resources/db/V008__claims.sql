-- Path claims: an agent's exclusive or shared hold on files or globs of its project (claim_paths), until it
-- releases them, they expire, or it goes offline. One row per holder and pattern; claiming again renews it.
CREATE TABLE claims (
    project_root TEXT NOT NULL,
    holder_id    TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    pattern      TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('exclusive', 'shared')),
    reason       TEXT,
    since        INTEGER NOT NULL,
    expires      INTEGER NOT NULL,
    PRIMARY KEY (project_root, holder_id, pattern)
) STRICT;

CREATE INDEX claims_by_holder ON claims(holder_id);
CREATE INDEX claims_by_expiry ON claims(expires);
