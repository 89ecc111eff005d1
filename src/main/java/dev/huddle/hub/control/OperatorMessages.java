package dev.huddle.hub.control;

import dev.huddle.hub.cockpit.WebOperator;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.MessageHistory;
import dev.huddle.hub.messaging.Draft;
import dev.huddle.hub.messaging.Notices;
import dev.huddle.hub.messaging.Sending;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.LogPage;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The human's messages: {@code send} and the cockpit's {@code nudge} (operator messages: no sender agent, no reply
 * target), for the CLI and the web page alike, and {@code log}, the project's history.
 */
final class OperatorMessages implements WebOperator {
    /** What a nudge from the cockpit says when the human typed nothing. */
    static final String NUDGE_TEXT = "Nudge from your user (via huddle's cockpit): please check your huddle messages and open work"
            + " (" + Tools.READ_MY_MESSAGES.name() + ", " + Tools.MY_OPEN_WORK.name() + ") and carry on.";
    /** The longest a {@code log} request waits for news. */
    private static final long MAX_WAIT_MS = 60_000;

    private final Notices notices;
    private final Sending sending;
    private final MessageHistory history;
    private final AgentRegistry registry;
    private final Projects projects;

    OperatorMessages(Notices notices, Sending sending, MessageHistory history, AgentRegistry registry, Projects projects) {
        this.notices = notices;
        this.sending = sending;
        this.history = history;
        this.registry = registry;
        this.projects = projects;
    }

    /** huddle send: to one agent or, with all, to every online one. */
    SendReceipt send(ControlRequest.Send request, String cwd) {
        return operatorSend(projects.of(request.project(), cwd), request.target(), request.body(), request.all());
    }

    /**
     * The cockpit's nudge: an operator message (the given text, or {@link #NUDGE_TEXT}) whose wake follows the usual
     * policy, so a busy agent is not typed into; it reads the message at its next turn or hook.
     */
    SendReceipt nudge(ControlRequest.Nudge request, String cwd) {
        String body = request.body() == null || request.body().isBlank() ? NUDGE_TEXT : request.body();
        return operatorSend(projects.of(request.project(), cwd), request.target(), body, false);
    }

    /**
     * huddle send run by agent {@code me} (inside its process tree): a message from that agent to a peer of its project,
     * as send_message sends it (peer context for the recipient), never one from the human.
     */
    SendReceipt sendFor(Agent me, ControlRequest.Send request) {
        return agentSend(me, request.target(), request.body(), request.all());
    }

    /** The cockpit's nudge run by agent {@code me}: its message (the default text unless given), not the human's. */
    SendReceipt nudgeFor(Agent me, ControlRequest.Nudge request) {
        return agentSend(me, request.target(), request.body() == null || request.body().isBlank() ? NUDGE_TEXT : request.body(), false);
    }

    private SendReceipt agentSend(Agent me, String target, String body, boolean all) {
        try {
            Draft d = Draft.of(body, null, null, null, false);
            if (all) {
                Views.BroadcastResult b = sending.broadcast(me, d);
                return new SendReceipt(me.projectRoot(), b.count(), b.messages());
            }
            Views.SendResult r = sending.send(me, target, d);
            return new SendReceipt(me.projectRoot(), 1, List.of(new Views.SentView(r.messageId(), r.targetSessionId(), r.targetHandle(),
                    r.targetName(), r.targetOnline(), null, r.wakeStatus(), r.wakeReason())));
        } catch (HuddleError e) {
            throw new ControlFailure(e.code(), e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
        }
    }

    @Override
    public String projectOf(String directory) {
        return projects.ofDirectory(directory);
    }

    @Override
    public SendReceipt send(String project, String target, String body) {
        return operatorSend(project, target, body, false);
    }

    @Override
    public SendReceipt nudge(String project, String target) {
        return operatorSend(project, target, NUDGE_TEXT, false);
    }

    private SendReceipt operatorSend(String project, String target, String body, boolean all) {
        try {
            var sent = notices.sendAsOperator(project, target, body, all);
            return new SendReceipt(project, sent.size(), sent);
        } catch (HuddleError e) {
            // The hint is written for agents; the CLI and the web page say what a person should do next.
            throw new ControlFailure(new ControlError(e.code(), e.getMessage(), e.hint(), e.details()));
        }
    }

    /** huddle log: a project's messages, newest last; with wait_ms it blocks until something new (follow). */
    LogPage log(ControlRequest.Log request, String cwd) {
        String project = request.all() ? null : projects.of(request.project(), cwd);
        int limit = request.limit() == null ? 100 : request.limit();
        long waitMs = Math.min(request.waitMs(), MAX_WAIT_MS);
        List<Message> rows = history.follow(project, request.grep(), request.afterSeq(), limit, waitMs);
        Map<String, Agent> names = new HashMap<>();
        List<LogPage.Entry> out = new ArrayList<>();
        for (Message m : rows) {
            String obligation = m.actionRequired() && m.obligation() != null ? m.obligation().wireName() : null;
            out.add(new LogPage.Entry(m.seq(), m.id(), m.createdAt(), m.projectRoot(),
                    m.senderId() == null ? m.origin().wireName() : label(m.senderId(), names), label(m.recipientId(), names),
                    m.body(), m.requestId(), m.replyTo(), obligation, m.delivered() ? m.deliveredVia().wireName() : null));
        }
        return new LogPage(project, out, rows.isEmpty() ? request.afterSeq() : rows.getLast().seq());
    }

    private String label(String agentId, Map<String, Agent> cache) {
        Agent a = cache.computeIfAbsent(agentId, id -> registry.find(id).orElse(null));
        if (a == null) return agentId;
        return a.name() != null ? a.name() + " (" + a.handle() + ")" : a.handle();
    }
}
