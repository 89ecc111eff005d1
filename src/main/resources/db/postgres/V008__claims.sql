-- PostgreSQL dialect of db/V008__claims.sql.
CREATE TABLE claims (
    project_root TEXT NOT NULL,
    holder_id    TEXT NOT NULL REFERENCES agents(agent_id) ON UPDATE CASCADE ON DELETE CASCADE,
    pattern      TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('exclusive', 'shared')),
    reason       TEXT,
    since        BIGINT NOT NULL,
    expires      BIGINT NOT NULL,
    machine      TEXT DEFAULT current_setting('huddle.machine', true),
    PRIMARY KEY (project_root, holder_id, pattern)
);

CREATE INDEX claims_by_holder ON claims(holder_id);
CREATE INDEX claims_by_expiry ON claims(expires);

CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE OR DELETE ON claims FOR EACH STATEMENT EXECUTE FUNCTION huddle_notify();
