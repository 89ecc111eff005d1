-- Implicit claims: an edit seen by a hook records "being edited by X" on that file for the edit window (a claims
-- row with implicit = 1, renewed by each further edit). ttl_s: the claim's own time to live, so that editing under
-- an explicit claim renews it by what its holder asked for.
ALTER TABLE claims ADD COLUMN implicit INTEGER NOT NULL DEFAULT 0 CHECK (implicit IN (0, 1));
ALTER TABLE claims ADD COLUMN ttl_s INTEGER NOT NULL DEFAULT 1800;
