package dev.huddle.hub.messaging;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;

import java.util.ArrayList;
import java.util.List;

/** send_message: to one peer, or to every online peer of the project (a broadcast: one row per peer). */
public final class Sending {
    private final AgentStore agents;
    private final MessageStore messages;
    private final Transactor tx;
    private final Recipients recipients;
    private final Outbox outbox;
    private final WakeHandOff wakes;

    Sending(AgentStore agents, MessageStore messages, Transactor tx, Recipients recipients, Outbox outbox, WakeHandOff wakes) {
        this.agents = agents;
        this.messages = messages;
        this.tx = tx;
        this.recipients = recipients;
        this.outbox = outbox;
        this.wakes = wakes;
    }

    public Views.SendResult send(Agent me, String target, Draft d) {
        Agent to = recipients.resolve(me, target);
        boolean late = outbox.answersTimedOutAsk(d.replyTo(), to);
        WakeHandOff.Sent sent = wakes.store(to, t -> WakeRequest.send(t, d.wake(), d.replyTo(), d.actionRequired(), late),
                inTransaction -> outbox.sendLater(me, to, d, inTransaction)); // one commit: the message and its wake row
        Message m = sent.message();
        Wakes.Outcome w = sent.wake();
        Ask ask = d.replyTo() == null ? null : messages.findAsk(d.replyTo()).orElse(null);
        String correlation = d.replyTo() == null ? null
                : ask != null && ask.targetId().equals(me.agentId()) && ask.requesterId().equals(to.agentId()) ? "correlated" : "uncorrelated";
        return new Views.SendResult(true, m.id(), to.sessionId(), to.handle(), to.name(), to.online(),
                d.actionRequired() ? true : null, d.wake(), correlation,
                to.online() ? null : "the recipient is offline" + (to.offlineReason() == null ? "" : " (" + to.offlineReason() + ")")
                        + "; the message waits until it comes back (same id)", w.status(), w.reason());
    }

    public Views.BroadcastResult broadcast(Agent me, Draft d) {
        if (d.replyTo() != null) throw new HuddleError("invalid-argument", "a broadcast cannot be a reply", "Send replies to one peer.");
        // an agent shown offline only because its machine's hub is silent is still owed it: kept until its hub is back
        List<Agent> peers = agents.listProject(me.projectRoot(), false).stream()
                .filter(a -> (a.online() || a.offlineReason() != null) && !a.agentId().equals(me.agentId())).toList();
        List<Message> stored = new ArrayList<>();
        tx.inTransaction(() -> {
            for (Agent p : peers) stored.add(outbox.insert(me.agentId(), Message.Origin.PEER, p, d, null, me.projectRoot()));
        });
        List<Views.SentView> sent = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            Agent p = peers.get(i);
            Message m = stored.get(i);
            Wakes.Outcome w = wakes.wake(m.id(), p, t -> WakeRequest.send(t, d.wake(), null, d.actionRequired(), false));
            sent.add(new Views.SentView(m.id(), p.sessionId(), p.handle(), p.name(), p.online(), null, w.status(), w.reason()));
        }
        return new Views.BroadcastResult(true, true, sent.size(), sent,
                sent.isEmpty() ? "no other agent of this project is online; nothing was sent" : null);
    }
}
