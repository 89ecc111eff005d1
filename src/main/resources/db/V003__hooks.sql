-- What the agent's hooks report: its transcript file and when a hook last ran (an agent with hooks has a
-- known busy/idle state; one without has only tool calls to go by).
ALTER TABLE agents ADD COLUMN transcript_path TEXT;
ALTER TABLE agents ADD COLUMN hook_at INTEGER;
