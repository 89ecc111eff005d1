package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An agent's waiting messages, handed out exactly once: through read_my_messages, or inside a hook's answer. Both
 * select and reserve under the recipient's {@link ReadLocks} lock, the one a wake is decided under.
 */
public final class Inbox {
    private final AgentStore agents;
    private final MessageStore messages;
    private final Deliveries deliveries;
    private final ReadLocks locks;

    Inbox(AgentStore agents, MessageStore messages, Deliveries deliveries, ReadLocks locks) {
        this.agents = agents;
        this.messages = messages;
        this.deliveries = deliveries;
        this.locks = locks;
    }

    /** read_my_messages: the oldest waiting messages within the read budget, offered in the response to {@code request}. */
    public Views.ReadResult read(Agent me, Deliveries.RequestRef request) {
        List<Message> batch = new ArrayList<>();
        int deferred;
        // Select and reserve as one step per recipient: two concurrent reads must not both take the same message.
        synchronized (locks.of(me.agentId())) {
            Set<String> offeredElsewhere = deliveries.reservedFor(me.agentId()); // snapshot first (see reservedFor)
            List<Message> waiting = messages.undelivered(me.agentId(), offeredElsewhere, MessageRules.READ_MAX_MESSAGES);
            // fewer than the most a read takes: that is all there is, and the count needs no query of its own
            int queued = waiting.size() < MessageRules.READ_MAX_MESSAGES ? waiting.size()
                    : messages.countUndelivered(me.agentId()) - offeredElsewhere.size();
            int bytes = 0;
            for (Message m : waiting) {
                int b = m.bodyBytes();
                if (!batch.isEmpty() && bytes + b > MessageRules.READ_MAX_BODY_BYTES) break;
                batch.add(m);
                bytes += b;
            }
            deliveries.offer(request, me.agentId(), batch, Message.DeliveryVia.TOOL);
            deferred = Math.max(0, queued - batch.size());
        }
        int open = messages.countOpenObligations(me.agentId());
        List<Views.InboxMessage> out = WaitingMessage.describe(batch, agents).stream().map(WaitingMessage::view).toList();
        return new Views.ReadResult(true, batch.isEmpty() ? null : TrustFrame.FOR_TOOLS, out.size(), out, deferred,
                open == 0 ? null : open, deferred > 0 ? TrustFrame.moreForTools(deferred) : null);
    }

    /**
     * A reply another hub committed for the ask {@code recipientId} waits on here, reserved for that ask unless a read
     * or a hook answer offered it already. Under the recipient's lock, as those select and reserve, and with the
     * snapshot of reservations taken before the reply is looked up (see {@link Deliveries#reservedFor}): a read that
     * committed its receipt meanwhile shows in the lookup, one still in flight in the snapshot. Empty when there is no
     * reply to hand over.
     */
    Optional<Message> reserveForAsk(String recipientId, Supplier<Optional<Message>> reply) {
        synchronized (locks.of(recipientId)) {
            Set<String> offeredElsewhere = deliveries.reservedFor(recipientId); // snapshot first
            Optional<Message> m = reply.get().filter(r -> r.deliveredAt() == null && !offeredElsewhere.contains(r.id()));
            m.ifPresent(r -> deliveries.reserve(recipientId, r.id()));
            return m;
        }
    }

    /**
     * A hook answer's text, the offer that holds its messages (null when nothing was included), and per included
     * message who wrote it and its first line.
     */
    public record HookDelivery(String text, Deliveries.HookOffer offer, List<String> headlines) {
        static final HookDelivery NONE = new HookDelivery("", null, List.of());
    }

    /**
     * A turn-end hook: the waiting messages as {@link #forHook} renders them, or, when none wait, {@code markIdle}
     * run before anyone can decide a wake for this agent. Both under the lock that wake decisions take
     * ({@link WakeHandOff}), so a message committed meanwhile is either in this answer or decided on the idle agent.
     */
    public HookDelivery forHookAtTurnEnd(Agent me, String ref, int budget, Runnable markIdle) {
        synchronized (locks.of(me.agentId())) {
            HookDelivery d = forHook(me, ref, budget, true);
            if (d.text().isEmpty()) markIdle.run();
            return d;
        }
    }

    /**
     * Renders the waiting messages for a hook answer within {@code budget} characters and reserves those whose
     * bodies it includes (see {@link Deliveries#offerViaHook}); the rest stay queued.
     */
    public HookDelivery forHook(Agent me, String ref, int budget) {
        return forHook(me, ref, budget, false);
    }

    private HookDelivery forHook(Agent me, String ref, int budget, boolean atTurnEnd) {
        synchronized (locks.of(me.agentId())) {
            Set<String> offeredElsewhere = deliveries.reservedFor(me.agentId()); // snapshot first (see reservedFor)
            List<Message> waiting = messages.undelivered(me.agentId(), offeredElsewhere, MessageRules.READ_MAX_MESSAGES);
            if (waiting.isEmpty()) return HookDelivery.NONE;
            int queued = messages.countUndelivered(me.agentId()) - offeredElsewhere.size();
            TrustFrame.Rendered r = TrustFrame.forHook(ref, WaitingMessage.describe(waiting, agents),
                    Math.max(0, queued - waiting.size()), budget, atTurnEnd);
            if (r.text().isEmpty()) return HookDelivery.NONE;
            return new HookDelivery(r.text(), r.deliveredIds().isEmpty() ? null : deliveries.offerViaHook(me.agentId(), r.deliveredIds()),
                    r.headlines());
        }
    }
}
