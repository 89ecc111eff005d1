-- PostgreSQL dialect of db/V003__hooks.sql.
ALTER TABLE agents ADD COLUMN transcript_path TEXT;
ALTER TABLE agents ADD COLUMN hook_at BIGINT;
