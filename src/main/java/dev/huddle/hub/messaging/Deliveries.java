package dev.huddle.hub.messaging;

import dev.huddle.hub.identity.FrontConnection;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Delivery receipts that mean what they say. Messages a tool returns are first <em>offered</em>: reserved, so no
 * other call hands them out too, and marked delivered only once the response that carries them is in the agent's
 * hands: the front acknowledged it after writing it to its stdout (a front that says {@code delivery_acks}), or,
 * for an older front, the hub wrote it to the front's socket. If the hub dies or the front goes away first, the
 * reservation dies with it and the messages are offered again later under the same ids: exactly once in the normal
 * path, at least once across crashes.
 *
 * <p>A receipt that cannot be written (the store is unreachable: a shared server restarts, the network is cut) does
 * not send its messages back to the queue, since the agent has them: they stay reserved, and the receipt is written
 * when the store takes writes again ({@link #recordUnrecorded}). Only a hub that dies meanwhile offers them again.
 */
public final class Deliveries {
    private static final Logger LOG = Logger.getLogger(Deliveries.class.getName());

    private record Offer(String recipientId, List<String> messageIds, Message.DeliveryVia via) {}

    /** A receipt not yet written: its offer and when the agent got it. */
    private record Receipt(Offer offer, Instant at) {}

    private final MessageStore messages;
    private final Transactor tx;
    private final Clock clock;
    /** Message ids reserved per recipient agent id. */
    private final Map<String, Set<String>> reserved = new ConcurrentHashMap<>();
    /** Offers waiting for their response to be written, by connection and JSON-RPC id. */
    private final Map<String, Offer> pending = new ConcurrentHashMap<>();
    /** Receipts whose write failed; their messages stay reserved until it succeeds. */
    private final Queue<Receipt> unrecorded = new ConcurrentLinkedQueue<>();

    public Deliveries(MessageStore messages, Transactor tx, Clock clock) {
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * A snapshot of the ids reserved for {@code recipientId} (not to be offered again). Take it <em>before</em>
     * querying: an offer commits its receipt before it drops its reservation, so a snapshot that misses an id was
     * taken after that id's receipt was committed, and the query that follows sees it delivered. Public for the wakes
     * other machines decide: a reply an ask_peer here took needs no wake.
     */
    public Set<String> reservedFor(String recipientId) {
        Set<String> live = reserved.get(recipientId);
        return live == null ? Set.of() : Set.copyOf(live);
    }

    /** Reserves one message before it is visible (a reply that a waiting ask will hand over). */
    void reserve(String recipientId, String messageId) {
        reserved.computeIfAbsent(recipientId, k -> ConcurrentHashMap.newKeySet()).add(messageId);
    }

    void release(String recipientId, String messageId) {
        Set<String> s = reserved.get(recipientId);
        if (s != null) s.remove(messageId);
    }

    /**
     * Offers messages in the response to one request. Without a request to attach to (no id known), they are
     * marked delivered at once.
     */
    void offer(RequestRef request, String recipientId, List<Message> batch, Message.DeliveryVia via) {
        if (batch.isEmpty()) return;
        List<String> ids = new ArrayList<>(batch.size());
        for (Message m : batch) ids.add(m.id());
        if (request == null) {
            commit(new Offer(recipientId, ids, via));
            return;
        }
        Set<String> set = reserved.computeIfAbsent(recipientId, k -> ConcurrentHashMap.newKeySet());
        set.addAll(ids);
        pending.merge(request.key(), new Offer(recipientId, ids, via), (a, b) -> {
            List<String> all = new ArrayList<>(a.messageIds());
            all.addAll(b.messageIds());
            return new Offer(recipientId, all, a.via());
        });
    }

    /** Whether the response to {@code request} carries offered messages (so its receipt is worth waiting for). */
    public boolean carriesOffers(RequestRef request) {
        return pending.containsKey(request.key());
    }

    /** The response to {@code request} reached the agent (its front says so, or an older front's socket took it). */
    public void responseWritten(RequestRef request) {
        Offer o = pending.remove(request.key());
        if (o != null) commit(o);
    }

    /**
     * The call of {@code request} failed after it offered messages (its store went away between the offer and the
     * answer, say): its error response carries none of them, so they go back to the queue instead of being counted
     * delivered when that response is written.
     */
    public void withdraw(RequestRef request) {
        if (request == null) return;
        Offer o = pending.remove(request.key());
        if (o != null) unreserve(o);
    }

    /** A front went away: whatever it was offered and did not receive goes back to the queue. */
    public void connectionClosed(FrontConnection conn) {
        String prefix = conn.id() + "/";
        pending.keySet().removeIf(k -> {
            if (!k.startsWith(prefix)) return false;
            Offer o = pending.get(k);
            if (o != null) unreserve(o);
            return true;
        });
    }

    private void commit(Offer o) {
        Receipt r = new Receipt(o, clock.instant());
        recordUnrecorded();
        if (!record(r)) unrecorded.add(r);
    }

    /** Writes the receipt and lets go of its messages; false (they stay reserved) when the store refused it. */
    private boolean record(Receipt r) {
        try {
            tx.inTransaction(() -> messages.markDelivered(r.offer().messageIds(), r.at(), r.offer().via()));
        } catch (RuntimeException e) {
            LOG.warning("the receipt of " + r.offer().messageIds().size() + " message(s) delivered to " + r.offer().recipientId()
                    + " is written when the store takes writes again: " + e.getMessage());
            return false;
        }
        unreserve(r.offer());
        return true;
    }

    /**
     * Writes the receipts that failed earlier (call when the store is healthy again); stops at the first that fails
     * again. Returns how many were written.
     */
    public int recordUnrecorded() {
        int n = 0;
        for (Receipt r; (r = unrecorded.poll()) != null; n++) {
            if (!record(r)) {
                unrecorded.add(r);
                return n;
            }
        }
        return n;
    }

    private void unreserve(Offer o) {
        Set<String> s = reserved.get(o.recipientId());
        if (s != null) o.messageIds().forEach(s::remove);
    }

    // ---- hook answers: delivered once the agent shows it went on past the hook ----

    /**
     * The messages of one hook answer. Reserved while in flight; eligible for confirmation once the answer was
     * written to curl in time ({@link #hookAnswerWritten}); delivered when the same agent's next hook or tool call
     * shows it went on past that hook ({@link #confirmHookOffers}).
     */
    public static final class HookOffer {
        private final String recipientId;
        private final List<String> messageIds;
        private boolean written; // guarded by this
        /** The agent went on before the write's completion was seen (curl can exit first): commit once written. */
        private boolean wentOn; // guarded by this

        private HookOffer(String recipientId, List<String> messageIds) {
            this.recipientId = recipientId;
            this.messageIds = List.copyOf(messageIds);
        }

        List<String> messageIds() {
            return messageIds;
        }
    }

    private final Map<String, List<HookOffer>> hookOffers = new ConcurrentHashMap<>();

    /** Reserves the messages of a hook answer (call under the recipient's read lock, like {@link #offer}). */
    HookOffer offerViaHook(String recipientId, List<String> messageIds) {
        HookOffer o = new HookOffer(recipientId, messageIds);
        reserved.computeIfAbsent(recipientId, k -> ConcurrentHashMap.newKeySet()).addAll(messageIds);
        hookOffers.computeIfAbsent(recipientId, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(o);
        return o;
    }

    /** The hook answer reached curl in time: the offer now waits for the agent's next sign of life. */
    public void hookAnswerWritten(HookOffer o) {
        boolean confirmNow;
        synchronized (o) {
            o.written = true;
            confirmNow = o.wentOn;
        }
        if (!confirmNow) return;
        List<HookOffer> list = hookOffers.get(o.recipientId);
        if (list != null && list.remove(o)) commit(new Offer(o.recipientId, o.messageIds, Message.DeliveryVia.HOOK));
    }

    /** The answer was not written (client gone, too late): its messages go back to the queue at once. */
    public void hookAnswerLost(HookOffer o) {
        List<HookOffer> list = hookOffers.get(o.recipientId);
        if (list != null && list.remove(o)) unreserve(new Offer(o.recipientId, o.messageIds, Message.DeliveryVia.HOOK));
    }

    /** The agent went on past its earlier hooks: what they carried was received. Returns how many messages. */
    public int confirmHookOffers(String recipientId) {
        List<HookOffer> list = hookOffers.get(recipientId);
        if (list == null || list.isEmpty()) return 0;
        List<String> ids = new ArrayList<>();
        List<HookOffer> done = new ArrayList<>();
        for (HookOffer o : list) {
            synchronized (o) {
                if (o.written) {
                    done.add(o);
                    ids.addAll(o.messageIds);
                } else {
                    o.wentOn = true; // its answer is still being written: confirmed when that completes
                }
            }
        }
        if (done.isEmpty()) return 0;
        list.removeAll(done);
        commit(new Offer(recipientId, ids, Message.DeliveryVia.HOOK));
        return ids.size();
    }

    /**
     * The agent restarted its session or ended: whether it saw its unconfirmed hook answers is unknown, so they
     * are offered again (at least once).
     */
    public int releaseHookOffers(String recipientId) {
        List<HookOffer> list = hookOffers.remove(recipientId);
        if (list == null) return 0;
        int n = 0;
        for (HookOffer o : list) {
            unreserve(new Offer(recipientId, o.messageIds, Message.DeliveryVia.HOOK));
            n += o.messageIds.size();
        }
        return n;
    }

    /** One JSON-RPC request on one front connection. */
    public record RequestRef(int connectionId, Object jsonRpcId) {
        /** Numbers compare by value whatever their Java type; strings stay apart from numbers. */
        String key() {
            return connectionId + "/" + (jsonRpcId instanceof Number n ? "n" + n.longValue() : "s" + jsonRpcId);
        }
    }
}
