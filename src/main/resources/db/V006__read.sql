-- read_session: whether peers may read this agent's session (set_my_state readable), and the variables that say
-- where its client keeps transcripts (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME, ... as its front saw them, JSON), so the
-- transcript of an agent that has exited is still found.
ALTER TABLE agents ADD COLUMN readable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agents ADD COLUMN read_env TEXT;
