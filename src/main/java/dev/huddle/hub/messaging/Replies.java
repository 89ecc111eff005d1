package dev.huddle.hub.messaging;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;

/** reply_to_message: an answer to a message the agent was given, correlated with the ask it answers. */
public final class Replies {
    private final AgentStore agents;
    private final MessageStore messages;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final WakeHandOff wakes;

    Replies(AgentStore agents, MessageStore messages, Deliveries deliveries, Outbox outbox, WakeHandOff wakes) {
        this.agents = agents;
        this.messages = messages;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.wakes = wakes;
    }

    public Views.ReplyResult reply(Agent me, String messageId, String body, String wake) {
        MessageRules.messageId(messageId, "message_id");
        // A message handed out in a response has its receipt committed just after that response is written, and the
        // agent may answer it before then: being offered to me counts. Snapshot first (see Deliveries.reservedFor).
        boolean offered = deliveries.reservedFor(me.agentId()).contains(messageId);
        Message original = messages.find(messageId)
                .filter(m -> m.recipientId().equals(me.agentId()))
                .orElseThrow(() -> new HuddleError("message-not-found", "no message " + messageId + " was sent to you",
                        "Reply to an id from your own " + Tools.READ_MY_MESSAGES.name() + " (or " + Tools.ASK_PEER.name() + ") results."));
        if (!original.delivered() && !offered) {
            throw new HuddleError("message-not-delivered", "message " + messageId + " has not been delivered to you yet",
                    "Read it first with " + Tools.READ_MY_MESSAGES.name() + ".");
        }
        if (original.senderId() == null) {
            throw new HuddleError("no-reply-target", "message " + messageId + " came from the human operator (huddle CLI) and has no reply target",
                    "Answer the human in your normal output.");
        }
        Agent to = agents.find(original.senderId()).orElseThrow(() -> new HuddleError("no-reply-target",
                "the sender of " + messageId + " is no longer registered", null));
        Draft d = Draft.of(body, wake, original.requestId(), original.id(), false);
        boolean late = outbox.answersTimedOutAsk(original.requestId(), to);
        String key = original.requestId() != null ? original.requestId() : original.id();
        WakeHandOff.Sent sent = wakes.store(to, t -> WakeRequest.reply(t, d.wake(), key, late),
                inTransaction -> outbox.sendLater(me, to, d, inTransaction)); // one commit: the reply and its wake row
        Message m = sent.message();
        Wakes.Outcome w = sent.wake();
        return new Views.ReplyResult(true, m.id(), original.id(), to.sessionId(), to.handle(), original.requestId(),
                original.requestId() != null ? "correlated" : "uncorrelated", w.status(), w.reason());
    }
}
