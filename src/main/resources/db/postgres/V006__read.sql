-- PostgreSQL dialect of db/V006__read.sql.
ALTER TABLE agents ADD COLUMN readable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agents ADD COLUMN read_env TEXT;
