-- PostgreSQL dialect of db/V010__cockpit_indexes.sql.
CREATE INDEX messages_unread_by_project ON messages(project_root, recipient_id, created_at) WHERE delivered_at IS NULL;
CREATE INDEX messages_open_by_project ON messages(project_root, seq) WHERE obligation_state = 'open';
