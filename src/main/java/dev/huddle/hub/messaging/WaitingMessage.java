package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message as its recipient is shown it, with its sender looked up: the one description of a waiting message that
 * read_my_messages ({@link #view()}) and hook answers ({@link TrustFrame}) both use.
 *
 * @param from the sender, null for the human and for huddle itself (origin operator or huddle)
 */
record WaitingMessage(Message message, Views.PeerRef from) {
    /** Describes each message, looking each sender up once. */
    static List<WaitingMessage> describe(List<Message> batch, AgentStore agents) {
        Map<String, Optional<Agent>> senders = new HashMap<>();
        List<WaitingMessage> out = new ArrayList<>(batch.size());
        for (Message m : batch) {
            Optional<Agent> s = m.senderId() == null ? Optional.empty() : senders.computeIfAbsent(m.senderId(), agents::find);
            out.add(new WaitingMessage(m, m.senderId() == null ? null : s.map(WaitingMessage::peer)
                    .orElseGet(() -> new Views.PeerRef(null, m.senderId(), null, null))));
        }
        return out;
    }

    static WaitingMessage describe(Message m, AgentStore agents) {
        return describe(List.of(m), agents).getFirst();
    }

    private static Views.PeerRef peer(Agent s) {
        return new Views.PeerRef(s.sessionId(), s.handle(), s.name(), s.clientType().wireName());
    }

    /** The message as read_my_messages and ask_peer return it. */
    Views.InboxMessage view() {
        Message m = message;
        return new Views.InboxMessage(m.id(), m.origin().wireName(), from, m.body(), m.createdAt().toString(), m.bodyBytes(),
                m.requestId(), m.replyTo(), m.sourceMessageId(), m.actionRequired() ? true : null);
    }

    /** Who sent it, briefly: {@code alice (claude-code)}, the handle when it has no name, or the human or huddle. */
    String shortSender() {
        if (from == null) return nobody(false);
        String who = from.name() != null ? from.name() : from.handle();
        return from.clientType() == null ? who : who + " (" + from.clientType() + ")";
    }

    /** Who sent it, in words: the sender's name, client and session, or who the human or huddle is. */
    String senderLabel() {
        if (from == null) return nobody(true);
        String client = from.clientType() == null ? "agent" : from.clientType();
        String sid = from.sessionId() != null ? "session " + from.sessionId() : from.handle();
        return from.name() != null ? from.name() + " (" + client + ", " + sid + ")" : client + " (" + sid + ")";
    }

    /** A sender that is no agent: the human, huddle, or one gone; {@code howToAnswer} adds what the model should know. */
    private String nobody(boolean howToAnswer) {
        return switch (message.origin()) {
            case OPERATOR -> "the human operator" + (howToAnswer ? " (through the huddle CLI; answer in your normal output)" : "");
            case HUDDLE -> howToAnswer ? "huddle itself (an automatic notice; there is no one to reply to)" : "huddle";
            case PEER -> "an agent no longer registered";
        };
    }
}
