-- The cockpit's per-change queries (huddle watch, huddle web, huddle status) by project, without reading the table:
-- unread mail per recipient (count, oldest) from the index alone, and the open obligations.
CREATE INDEX messages_unread_by_project ON messages(project_root, recipient_id, created_at) WHERE delivered_at IS NULL;
CREATE INDEX messages_open_by_project ON messages(project_root, seq) WHERE obligation_state = 'open';
