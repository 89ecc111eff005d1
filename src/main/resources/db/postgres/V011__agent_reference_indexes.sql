-- PostgreSQL dialect of db/V011__agent_reference_indexes.sql.
CREATE INDEX messages_by_sender ON messages(sender_id, reply_to);
CREATE INDEX asks_by_requester ON asks(requester_id);
CREATE INDEX asks_by_target ON asks(target_id);
