package dev.huddle.hub.messaging;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ask_peer: a question that waits for its answer. Push-based: the waiter is registered before the question is
 * committed, and the peer's correlated reply completes it the moment the reply is stored ({@link Outbox#send}). An
 * ask that ends without its answer stays pending; a late answer is delivered like any message.
 */
public final class Asking {
    /** How long an ask waits when the caller names no timeout, and the most it may ask for. */
    public record Timeouts(Duration standard, Duration max) {}

    private final AgentStore agents;
    private final MessageStore messages;
    private final Transactor tx;
    private final Deliveries deliveries;
    private final AskWaiters waiters;
    private final Recipients recipients;
    private final Outbox outbox;
    private final WakeHandOff wakes;
    private final Timeouts timeouts;

    Asking(AgentStore agents, MessageStore messages, Transactor tx, Deliveries deliveries, AskWaiters waiters, Recipients recipients,
           Outbox outbox, WakeHandOff wakes, Timeouts timeouts) {
        this.agents = agents;
        this.messages = messages;
        this.tx = tx;
        this.deliveries = deliveries;
        this.waiters = waiters;
        this.recipients = recipients;
        this.outbox = outbox;
        this.wakes = wakes;
        this.timeouts = timeouts;
    }

    public Views.AskResult ask(Agent me, String target, String body, Long timeoutMs, Deliveries.RequestRef request) {
        Draft d = Draft.plain(body);
        long timeout = MessageRules.askTimeoutMs(timeoutMs, timeouts.standard().toMillis(), timeouts.max().toMillis());
        Agent to = askable(me, target);
        String requestId = outbox.newId();
        AskWaiters.Waiter waiter = waiters.register(requestId, me.agentId(), to.agentId());
        long t0 = System.nanoTime();
        WakeHandOff.Sent sent;
        try {
            // one commit: the question, its ask and its wake decision (as a send's)
            sent = wakes.store(to, WakeRequest::ask, inTransaction -> tx.inTransactionLater(() -> {
                Message m = outbox.insert(me.agentId(), Message.Origin.PEER, to, d, requestId, me.projectRoot());
                messages.insertAsk(new Ask(requestId, m.id(), me.agentId(), to.agentId(), m.createdAt(), Ask.State.PENDING, null, null));
                inTransaction.accept(m);
                return m;
            }));
        } catch (RuntimeException e) {
            waiters.remove(waiter);
            throw e;
        }
        Message asked = sent.message();
        Wakes.Outcome w = sent.wake();
        Answer answer = await(me, waiter, timeout);
        long waited = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        Views.InboxMessage replyView = null;
        if (answer.reply() != null) {
            deliveries.offer(request, me.agentId(), List.of(answer.reply()), Message.DeliveryVia.ASK_REPLY); // keeps the reservation
            replyView = WaitingMessage.describe(answer.reply(), agents).view();
        }
        Long clampedFrom = timeoutMs != null && timeoutMs > timeout ? timeoutMs : null;
        return new Views.AskResult(true, replyView == null ? null : TrustFrame.FOR_ASK_REPLY, asked.id(), requestId, to.sessionId(),
                to.handle(), answer.reply() == null, replyView,
                waited, timeout, clampedFrom, answer.note(), w.status(), w.reason());
    }

    /** The peer {@code target} names, if a reply from it could be correlated and it could answer now. */
    private Agent askable(Agent me, String target) {
        Agent to = recipients.resolve(me, target);
        if (!to.bound()) {
            throw new HuddleError("peer-unbound", "peer " + to.handle() + " has no session id yet, so a reply could not be correlated",
                    "Use " + Tools.SEND_MESSAGE.name() + " instead, or ask the peer to run " + Tools.GET_MY_SESSION.name()
                            + " and " + Tools.CLAIM_SESSION.name() + ".");
        }
        if (!to.online()) {
            throw new HuddleError("peer-offline", "peer " + to.handle() + (to.name() == null ? "" : " (" + to.name() + ")")
                    + " is offline: " + (to.offlineReason() != null ? to.offlineReason() : "its process has ended"), "Use " + Tools.SEND_MESSAGE.name() + ": it is delivered when the peer comes back.");
        }
        return to;
    }

    /** How a wait ended: the reply, or why there is none. */
    private record Answer(Message reply, String note) {}

    private Answer await(Agent me, AskWaiters.Waiter waiter, long timeout) {
        String late = "a late reply arrives through " + Tools.READ_MY_MESSAGES.name();
        Message reply = null;
        try {
            reply = waiter.reply().get(timeout, TimeUnit.MILLISECONDS);
            return new Answer(reply, null);
        } catch (TimeoutException e) {
            return new Answer(null, "no reply within " + timeout + " ms; the ask stays pending: " + late
                    + " (with reply_to = " + waiter.requestId() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "the wait was cancelled; " + late);
        } catch (ExecutionException e) {
            return new Answer(null, "the wait failed: " + e.getCause());
        } finally {
            waiters.remove(waiter);
            // A reply committed just as the wait ended (timeout, cancel) may still complete the future: settle it
            // now. If the reply won, it is not in this answer: release its reservation so read_my_messages delivers
            // it; if we won, Outbox.send sees complete() fail and releases it itself.
            if (reply == null && !waiter.reply().complete(null)) {
                Message lateReply = waiter.reply().getNow(null);
                if (lateReply != null) deliveries.release(me.agentId(), lateReply.id());
            }
        }
    }
}
