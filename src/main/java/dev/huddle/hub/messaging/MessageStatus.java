package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;

import java.util.Optional;

/** message_status: whether a message the agent sent was delivered, and what its latest wake did. */
public final class MessageStatus {
    private final AgentStore agents;
    private final MessageStore messages;
    private final WakeStore wakeLog;

    MessageStatus(AgentStore agents, MessageStore messages, WakeStore wakeLog) {
        this.agents = agents;
        this.messages = messages;
        this.wakeLog = wakeLog;
    }

    public Views.StatusResult status(Agent me, String messageId) {
        MessageRules.messageId(messageId, "message_id");
        Optional<Message> found = messages.find(messageId).filter(m -> me.agentId().equals(m.senderId()));
        if (found.isEmpty()) {
            return new Views.StatusResult(true, messageId, "unknown", null, null, null, null, null,
                    "no message with this id was sent by you", null, null, null);
        }
        Message m = found.get();
        Agent to = agents.find(m.recipientId()).orElse(null);
        String sid = to == null ? null : to.sessionId();
        String handle = to == null ? null : to.handle();
        Optional<WakeRecord> lastWake = wakeLog.latestFor(m.id());
        String ws = lastWake.map(WakeRecord::status).orElse(null);
        String wr = lastWake.map(WakeRecord::reason).orElse(null);
        String wroute = lastWake.map(WakeRecord::route).orElse(null);
        if (m.delivered()) {
            return new Views.StatusResult(true, m.id(), "delivered", m.deliveredAt().toString(), m.deliveredVia().wireName(),
                    m.createdAt().toString(), sid, handle, null, ws, wr, wroute);
        }
        return new Views.StatusResult(true, m.id(), "pending", null, null, m.createdAt().toString(), sid, handle,
                to != null && !to.online() ? "the recipient is offline" : null, ws, wr, wroute);
    }
}
