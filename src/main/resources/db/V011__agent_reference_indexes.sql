-- Renaming an agent (a provisional id bound to its session: ON UPDATE CASCADE) and merging one into another
-- (UPDATE ... then DELETE FROM agents) look up every row that points at the agent. messages.recipient_id has its
-- index (messages_by_recipient); sender_id and the asks' requester_id and target_id had none, so each rename,
-- merge and delete scanned the whole messages and asks tables. reply_to follows sender_id so that the one query by
-- sender (a sender's reply to an ask: reply_to and sender_id) finds its row in this index at once.
CREATE INDEX messages_by_sender ON messages(sender_id, reply_to);
CREATE INDEX asks_by_requester ON asks(requester_id);
CREATE INDEX asks_by_target ON asks(target_id);
