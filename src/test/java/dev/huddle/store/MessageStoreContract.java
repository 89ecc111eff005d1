package dev.huddle.store;

import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.huddle.store.AgentStoreContract.T0;
import static dev.huddle.store.AgentStoreContract.agent;
import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link MessageStore} does, whichever database holds it. */
public abstract class MessageStoreContract {
    protected Stores stores;
    protected MessageStore store;

    protected abstract Stores open();

    @BeforeEach
    void openStores() {
        stores = open();
        store = stores.messages();
        stores.agents().save(agent("alice", "/r", "a"));
        stores.agents().save(agent("bob", "/r", "b"));
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    private static Message message(String id, String from, String to, String requestId, String replyTo, boolean actionRequired, long atS) {
        return new Message(0, id, "/r", from, Message.Origin.PEER, to, "body " + id, requestId, replyTo, null, actionRequired, null,
                T0.plusSeconds(atS), null, null, actionRequired ? Message.ObligationState.OPEN : null, null, null);
    }

    private static Message text(String id, String to, String body, long atS) {
        return new Message(0, id, "/r", "alice", Message.Origin.PEER, to, body, null, null, null, false, null, T0.plusSeconds(atS),
                null, null, null, null, null);
    }

    @Test
    void undeliveredInSendOrderLeavingOutThoseOfferedElsewhereAndMarkingDeliveredOnce() {
        for (int i = 1; i <= 5; i++) store.insert(text("m" + i, "bob", "hello " + i, 10 - i)); // seq order, not time order
        assertThat(store.countUndelivered("bob")).isEqualTo(5);
        assertThat(store.undelivered("bob", Set.of(), 3)).extracting(Message::id).containsExactly("m1", "m2", "m3");
        assertThat(store.undelivered("bob", Set.of("m1", "m3"), 3)).extracting(Message::id).containsExactly("m2", "m4", "m5");
        assertThat(store.undelivered("alice", Set.of(), 10)).isEmpty();
        List<Message> got = store.undelivered("bob", Set.of(), 10);
        assertThat(got).extracting(Message::seq).isSorted().doesNotHaveDuplicates();

        assertThat(store.markDelivered(List.of("m1", "m2"), T0.plusSeconds(20), Message.DeliveryVia.TOOL)).isEqualTo(2);
        assertThat(store.markDelivered(List.of("m2", "m3"), T0.plusSeconds(30), Message.DeliveryVia.HOOK)).as("m2 once").isEqualTo(1);
        assertThat(store.markDelivered(List.of(), T0, Message.DeliveryVia.HOOK)).isZero();
        Message m2 = store.find("m2").orElseThrow();
        assertThat(m2.deliveredAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(m2.deliveredVia()).isEqualTo(Message.DeliveryVia.TOOL);
        assertThat(store.countUndelivered("bob")).isEqualTo(2);
        assertThat(store.undelivered("bob", Set.of(), 10)).extracting(Message::id).containsExactly("m4", "m5");
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void aMessageRoundTripsEveryColumn() {
        Message m = new Message(0, "full", "/r", "alice", Message.Origin.PEER, "bob", "the body", "req-1", "rep-0", "src-9", true,
                "on", T0, null, null, Message.ObligationState.OPEN, null, null);
        store.insert(m);
        Message back = store.find("full").orElseThrow();
        assertThat(back.seq()).isPositive();
        assertThat(back).usingRecursiveComparison().ignoringFields("seq").isEqualTo(m);
    }

    @Test
    void obligationsCloseOnceAndRepliesAreFoundBySender() {
        store.insert(message("o1", "alice", "bob", null, null, true, 1));
        store.insert(message("o2", "alice", "bob", null, null, true, 2));
        assertThat(store.countOpenObligations("bob")).isEqualTo(2);
        assertThat(store.openObligations("bob", 1)).extracting(Message::id).containsExactly("o1");
        store.closeObligation("o1", Message.ObligationState.DONE, T0.plusSeconds(5), "o2");
        store.closeObligation("o1", Message.ObligationState.BLOCKED, T0.plusSeconds(6), null); // closed already: kept
        Message closed = store.find("o1").orElseThrow();
        assertThat(closed.obligation()).isEqualTo(Message.ObligationState.DONE);
        assertThat(closed.obligationClosedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(closed.outcomeMessageId()).isEqualTo("o2");
        assertThat(store.countOpenObligations("bob")).isEqualTo(1);

        store.insert(message("q1", "alice", "bob", "r1", null, false, 3));
        store.insertAsk(new Ask("r1", "q1", "alice", "bob", T0.plusSeconds(3), Ask.State.PENDING, null, null));
        assertThat(store.findAsk("r1")).map(Ask::state).contains(Ask.State.PENDING);
        store.insert(message("a1", "bob", "alice", null, "r1", false, 4));
        store.insert(message("a2", "bob", "alice", null, "r1", false, 5));
        assertThat(store.replyFrom("bob", "r1")).map(Message::id).contains("a1");
        assertThat(store.replyFrom("alice", "r1")).isEmpty();
        store.markAskAnswered("r1", "a1", T0.plusSeconds(4));
        store.markAskAnswered("r1", "a2", T0.plusSeconds(5)); // answered already: the first answer stays
        Ask answered = store.findAsk("r1").orElseThrow();
        assertThat(answered.state()).isEqualTo(Ask.State.ANSWERED);
        assertThat(answered.replyMessageId()).isEqualTo("a1");
        assertThat(answered.answeredAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(store.findAsk("nope")).isEmpty();
    }

    @Test
    void historyPagesBySeqAndMatchesAPhraseOfWordsInAnyCase() {
        store.insert(text("h1", "bob", "Deploy the API today", 1));
        store.insert(text("h2", "bob", "the api is down", 2));
        store.insert(text("h3", "alice", "lunch?", 3));
        store.insert(new Message(0, "h4", "/other", "alice", Message.Origin.PEER, "bob", "deploy elsewhere", null, null, null, false,
                null, T0.plusSeconds(4), null, null, null, null, null));
        assertThat(store.history("/r", null, 0, 10)).extracting(Message::id).containsExactly("h1", "h2", "h3");
        assertThat(store.history(null, null, 0, 10)).extracting(Message::id).containsExactly("h1", "h2", "h3", "h4");
        assertThat(store.history("/r", null, 0, 2)).as("the newest page, oldest first").extracting(Message::id).containsExactly("h2", "h3");
        long first = store.find("h1").orElseThrow().seq();
        assertThat(store.history("/r", null, first, 1)).as("after a seq: the next ones").extracting(Message::id).containsExactly("h2");
        assertThat(store.history("/r", "\"api\"", 0, 10)).extracting(Message::id).containsExactly("h1", "h2");
        assertThat(store.history("/r", "\"deploy the\"", 0, 10)).extracting(Message::id).containsExactly("h1");
        assertThat(store.history(null, "\"DEPLOY\"", 0, 10)).extracting(Message::id).containsExactly("h1", "h4");
        assertThat(store.history("/r", "\"today api\"", 0, 10)).isEmpty();
    }

    @Test
    void theWakeTimersFindOpenUndeliveredRequestsAndAnsweredAsksWithUnreadReplies() {
        // asks: pending and undelivered (a candidate), pending but delivered, answered
        store.insert(message("aaaaaaaaaaaaaaa1", "alice", "bob", "r1", null, false, 10));
        store.insertAsk(new Ask("r1", "aaaaaaaaaaaaaaa1", "alice", "bob", T0.plusSeconds(10), Ask.State.PENDING, null, null));
        store.insert(message("aaaaaaaaaaaaaaa2", "alice", "bob", "r2", null, false, 11));
        store.insertAsk(new Ask("r2", "aaaaaaaaaaaaaaa2", "alice", "bob", T0.plusSeconds(11), Ask.State.PENDING, null, null));
        store.markDelivered(List.of("aaaaaaaaaaaaaaa2"), T0.plusSeconds(12), Message.DeliveryVia.TOOL);
        store.insert(message("aaaaaaaaaaaaaaa3", "alice", "bob", "r3", null, false, 13));
        store.insertAsk(new Ask("r3", "aaaaaaaaaaaaaaa3", "alice", "bob", T0.plusSeconds(13), Ask.State.PENDING, null, null));
        store.insert(message("bbbbbbbbbbbbbbb3", "bob", "alice", null, "r3", false, 20));
        store.markAskAnswered("r3", "bbbbbbbbbbbbbbb3", T0.plusSeconds(20));
        // obligations: open and undelivered (a candidate), closed, and a plain message (never a candidate)
        store.insert(message("ccccccccccccccc1", "alice", "bob", null, null, true, 30));
        store.insert(message("ccccccccccccccc2", "alice", "bob", null, null, true, 31));
        store.closeObligation("ccccccccccccccc2", Message.ObligationState.DONE, T0.plusSeconds(32), null);
        store.insert(message("ddddddddddddddd1", "alice", "bob", null, null, false, 33));

        assertThat(store.undeliveredOpenRequests(T0)).extracting(Message::id).containsExactly("aaaaaaaaaaaaaaa1", "ccccccccccccccc1");
        assertThat(store.undeliveredOpenRequests(T0.plusSeconds(11))).extracting(Message::id).containsExactly("ccccccccccccccc1");

        // huddle status: pending asks, open obligations, unread per recipient; another project sees none of them
        assertThat(store.pendingAsks("/r")).extracting(Ask::requestId).containsExactly("r1", "r2");
        assertThat(store.pendingAsks(null)).hasSize(2);
        assertThat(store.pendingAsks("/other")).isEmpty();
        assertThat(store.openObligationsIn("/r")).extracting(Message::id).containsExactly("ccccccccccccccc1");
        assertThat(store.openObligationsIn(null)).extracting(Message::id).containsExactly("ccccccccccccccc1");
        assertThat(store.openObligationsIn("/other")).isEmpty();
        assertThat(store.unreadByRecipient("/r")).containsExactly(
                new MessageStore.Unread("alice", 1, T0.plusSeconds(20)), new MessageStore.Unread("bob", 5, T0.plusSeconds(10)));
        assertThat(store.unreadByRecipient(null)).hasSize(2);
        assertThat(store.unreadByRecipient("/other")).isEmpty();

        var answered = store.answeredWithUnreadReply(T0);
        assertThat(answered).hasSize(1);
        assertThat(answered.getFirst().ask().requestId()).isEqualTo("r3");
        assertThat(answered.getFirst().ask().answeredAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(answered.getFirst().ask().createdAt()).isEqualTo(T0.plusSeconds(13));
        assertThat(answered.getFirst().reply().id()).isEqualTo("bbbbbbbbbbbbbbb3");
        assertThat(answered.getFirst().reply().createdAt()).as("the message's own columns, not the ask's").isEqualTo(T0.plusSeconds(20));
        assertThat(answered.getFirst().reply().replyTo()).isEqualTo("r3");
        assertThat(store.answeredWithUnreadReply(T0.plusSeconds(21))).isEmpty();
        store.markDelivered(List.of("bbbbbbbbbbbbbbb3"), T0.plusSeconds(25), Message.DeliveryVia.HOOK);
        assertThat(store.answeredWithUnreadReply(T0)).as("read: nothing to pull back").isEmpty();
    }

    @Test
    void messagesAndAsksFollowAMergedAgent() {
        stores.agents().save(agent("p-9", "/r", null));
        store.insert(message("x1", "p-9", "bob", "rx", null, false, 1));
        store.insertAsk(new Ask("rx", "x1", "p-9", "bob", T0.plusSeconds(1), Ask.State.PENDING, null, null));
        store.insert(message("x2", "bob", "p-9", null, null, false, 2));
        stores.agents().mergeInto("p-9", "alice");
        assertThat(store.find("x1").orElseThrow().senderId()).isEqualTo("alice");
        assertThat(store.undelivered("alice", Set.of(), 10)).extracting(Message::id).containsExactly("x2");
        assertThat(store.findAsk("rx").orElseThrow().requesterId()).isEqualTo("alice");
        stores.agents().rename("alice", "alice-2");
        assertThat(store.find("x1").orElseThrow().senderId()).isEqualTo("alice-2");
    }

}
