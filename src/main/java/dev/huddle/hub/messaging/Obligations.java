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
import dev.huddle.store.Transactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Work a peer asked for with action_required: my_open_work lists what an agent owes; complete_work and block_work
 * close it and deliver the outcome to the requester in one transaction, exactly once.
 */
public final class Obligations {
    private final AgentStore agents;
    private final MessageStore messages;
    private final Transactor tx;
    private final Outbox outbox;
    private final WakeHandOff wakes;
    private final Clock clock;

    Obligations(AgentStore agents, MessageStore messages, Transactor tx, Outbox outbox, WakeHandOff wakes, Clock clock) {
        this.agents = agents;
        this.messages = messages;
        this.tx = tx;
        this.outbox = outbox;
        this.wakes = wakes;
        this.clock = clock;
    }

    public Views.OpenWorkResult openWork(Agent me) {
        List<Message> shown = new ArrayList<>();
        int bytes = 0;
        for (Message m : messages.openObligations(me.agentId(), MessageRules.READ_MAX_MESSAGES)) {
            if (!shown.isEmpty() && bytes + m.bodyBytes() > MessageRules.READ_MAX_BODY_BYTES) break;
            bytes += m.bodyBytes();
            shown.add(m);
        }
        Instant now = clock.instant();
        List<Views.OpenWork> out = new ArrayList<>(shown.size());
        for (WaitingMessage w : WaitingMessage.describe(shown, agents)) {
            Message m = w.message();
            out.add(new Views.OpenWork(m.id(), w.from(), m.origin().wireName(), m.requestId(), m.body(), m.createdAt().toString(),
                    Math.max(0, Duration.between(m.createdAt(), now).toSeconds())));
        }
        return new Views.OpenWorkResult(true, out.isEmpty() ? null : TrustFrame.FOR_OPEN_WORK, out.size(), out,
                Math.max(0, messages.countOpenObligations(me.agentId()) - out.size()));
    }

    /** complete_work / block_work: closes the obligation and delivers the outcome to the requester, exactly once. */
    public Views.WorkClosedResult closeWork(Agent me, String messageId, String body, Message.ObligationState state) {
        MessageRules.messageId(messageId, "message_id");
        String outcomeBody = MessageRules.body(state == Message.ObligationState.BLOCKED ? "[blocked] " + body : body);
        Views.WorkClosedResult r = tx.inTransaction(() -> {
            Message m = messages.find(messageId).filter(x -> x.recipientId().equals(me.agentId()))
                    .orElseThrow(() -> new HuddleError("message-not-found", "no message " + messageId + " was sent to you",
                            "Use an id from " + Tools.MY_OPEN_WORK.name() + "."));
            if (m.obligation() == null) {
                throw new HuddleError("not-an-obligation", "message " + messageId + " did not ask for action (action_required was false)",
                        "Answer it with " + Tools.REPLY_TO_MESSAGE.name() + " instead.");
            }
            Agent requester = m.senderId() == null ? null : agents.find(m.senderId()).orElse(null);
            String requesterSid = requester == null ? null : requester.sessionId();
            if (m.obligation() != Message.ObligationState.OPEN) {
                return new Views.WorkClosedResult(true, m.id(), m.obligation().wireName(), m.outcomeMessageId(), requesterSid, true, null, null);
            }
            String outcomeId = null;
            if (requester != null) {
                Message outcome = outbox.insert(me.agentId(), Message.Origin.PEER, requester,
                        new Draft(outcomeBody, null, m.requestId(), m.id(), false), null, me.projectRoot());
                outcomeId = outcome.id();
                if (m.requestId() != null) messages.markAskAnswered(m.requestId(), outcomeId, outcome.createdAt());
            }
            messages.closeObligation(m.id(), state, clock.instant(), outcomeId);
            return new Views.WorkClosedResult(true, m.id(), state.wireName(), outcomeId, requesterSid, null, null, null);
        });
        if (r.outcomeMessageId() != null && r.alreadyClosed() == null) {
            Message original = messages.find(r.messageId()).orElse(null);
            Agent requester = original == null || original.senderId() == null ? null : agents.find(original.senderId()).orElse(null);
            if (requester != null) {
                Wakes.Outcome w = wakes.wake(r.outcomeMessageId(), requester,
                        t -> WakeRequest.outcome(t, null, original.requestId() != null ? original.requestId() : original.id()));
                return new Views.WorkClosedResult(r.ok(), r.messageId(), r.obligationState(), r.outcomeMessageId(), r.requesterSessionId(),
                        r.alreadyClosed(), w.status(), w.reason());
            }
        }
        return r;
    }
}
