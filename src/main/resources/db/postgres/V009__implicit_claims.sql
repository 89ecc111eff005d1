-- PostgreSQL dialect of db/V009__implicit_claims.sql.
ALTER TABLE claims ADD COLUMN implicit INTEGER NOT NULL DEFAULT 0 CHECK (implicit IN (0, 1));
ALTER TABLE claims ADD COLUMN ttl_s BIGINT NOT NULL DEFAULT 1800;
