package dev.huddle.hub.messaging;

import dev.huddle.hub.HubConfig;
import dev.huddle.hub.identity.FrontConnection;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery receipts follow the response, never the selection; concurrent reads never hand out a message twice. */
class DeliveriesTest {
    @TempDir
    Path tmp;
    SqliteDatabase db;
    SqliteAgentStore agents;
    SqliteMessageStore store;
    Deliveries deliveries;
    Messaging messaging;
    Agent alice;
    Agent bob;

    @BeforeEach
    void setUp() {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        agents = new SqliteAgentStore(db);
        store = new SqliteMessageStore(db);
        deliveries = new Deliveries(store, db, Clock.systemUTC());
        messaging = Messaging.create(agents, store, new SqliteWakeStore(db), db, deliveries, Wakes.NONE, new ChangeSignal(),
                new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), Clock.systemUTC());
        Instant now = Instant.now();
        alice = Agent.create("alice-session", "alice-session", BindingSource.ENV, ClientType.CLAUDE_CODE, "/r", "/r", new AgentProcess(1, 1), now);
        bob = Agent.create("bob-session", "bob-session", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(2, 1), now);
        agents.save(alice);
        agents.save(bob);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void send(int n) {
        for (int i = 0; i < n; i++) messaging.sending().send(alice, "bob-session", Draft.of("m" + i, null, null, null, false));
    }

    @Test
    void aMessageIsDeliveredOnlyOnceItsResponseIsWritten() {
        send(3);
        var req = new Deliveries.RequestRef(1, 7L);
        Views.ReadResult first = messaging.inbox().read(bob, req);
        assertThat(first.count()).isEqualTo(3);
        assertThat(store.countUndelivered("bob-session")).isEqualTo(3); // offered, not yet delivered
        assertThat(messaging.inbox().read(bob, new Deliveries.RequestRef(1, 8L)).count()).isZero(); // reserved meanwhile
        deliveries.responseWritten(new Deliveries.RequestRef(1, 7)); // an Integer id from the SDK matches the Long
        assertThat(store.countUndelivered("bob-session")).isZero();
        String id = first.messages().getFirst().id();
        assertThat(store.find(id).orElseThrow().deliveredVia()).isEqualTo(Message.DeliveryVia.TOOL);
    }

    @Test
    void aFrontThatGoesAwayBeforeItsResponseGetsTheMessagesAgainUnderTheSameIds() {
        send(2);
        FrontConnection conn = new FrontConnection(null, null, "bob-session");
        Views.ReadResult lost = messaging.inbox().read(bob, new Deliveries.RequestRef(conn.id(), 1L));
        deliveries.connectionClosed(conn);
        Views.ReadResult again = messaging.inbox().read(bob, new Deliveries.RequestRef(99, 1L));
        assertThat(again.messages()).extracting(Views.InboxMessage::id)
                .containsExactlyElementsOf(lost.messages().stream().map(Views.InboxMessage::id).toList());
    }

    @Test
    void aCallThatFailsAfterItsOfferGivesTheMessagesBackAndItsErrorResponseDeliversNothing() {
        send(2);
        var failed = new Deliveries.RequestRef(5, 1L);
        Views.ReadResult offered = messaging.inbox().read(bob, failed); // then the call fails (its store went away)
        deliveries.withdraw(failed);
        deliveries.responseWritten(failed); // the error response reaches the agent: it carried no message
        assertThat(store.countUndelivered("bob-session")).isEqualTo(2);
        Views.ReadResult again = messaging.inbox().read(bob, new Deliveries.RequestRef(5, 2L));
        assertThat(again.messages()).extracting(Views.InboxMessage::id)
                .containsExactlyElementsOf(offered.messages().stream().map(Views.InboxMessage::id).toList());
    }

    @Test
    void concurrentReadsNeverShareAMessage() throws Exception {
        send(400);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        var req = new Deliveries.RequestRef(thread, (long) i);
                        messaging.inbox().read(bob, req).messages().forEach(m -> seen.add(m.id()));
                        deliveries.responseWritten(req);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        Set<String> unique = new HashSet<>(seen);
        assertThat(seen).hasSize(unique.size()).hasSize(400);
        assertThat(store.countUndelivered("bob-session")).isZero();
    }

    @Test
    void readsAreBudgetedAndSayWhatIsDeferred() {
        send(60);
        Views.ReadResult r = messaging.inbox().read(bob, null);
        assertThat(r.count()).isEqualTo(50);
        assertThat(r.deferredCount()).isEqualTo(10);
        assertThat(r.hint()).contains("10 more");
    }

    // ---- hook offers ----

    private int undelivered() {
        return store.countUndelivered("bob-session");
    }

    @Test
    void aHookOfferIsDeliveredOnlyAfterItWasWrittenAndTheAgentWentOn() {
        send(2);
        Inbox.HookDelivery d = messaging.inbox().forHook(bob, "r1", 9_000);
        assertThat(d.offer().messageIds()).hasSize(2);
        assertThat(messaging.inbox().read(bob, null).count()).as("reserved: not handed out twice").isZero();
        deliveries.hookAnswerWritten(d.offer());
        assertThat(undelivered()).as("written, but the agent has not gone on yet").isEqualTo(2);
        assertThat(deliveries.confirmHookOffers("bob-session")).isEqualTo(2);
        assertThat(undelivered()).isZero();
        assertThat(store.find(d.offer().messageIds().getFirst()).orElseThrow().deliveredVia()).isEqualTo(Message.DeliveryVia.HOOK);
    }

    @Test
    void anAgentThatWentOnBeforeTheWriteWasSeenCompleteGetsItsOfferConfirmedWhenItIs() {
        // curl can print the answer and exit, and the agent send its next hook, before the hub's write callback ran.
        send(2);
        Inbox.HookDelivery d = messaging.inbox().forHook(bob, "r1", 9_000);
        assertThat(deliveries.confirmHookOffers("bob-session")).as("not written yet").isZero();
        assertThat(undelivered()).isEqualTo(2);
        deliveries.hookAnswerWritten(d.offer());
        assertThat(undelivered()).as("confirmed as the write completes").isZero();
        assertThat(deliveries.confirmHookOffers("bob-session")).as("not twice").isZero();
    }

    @Test
    void anOfferWhoseAnswerIsLostAfterTheAgentWentOnGoesBackToTheQueue() {
        send(1);
        Inbox.HookDelivery d = messaging.inbox().forHook(bob, "r1", 9_000);
        deliveries.confirmHookOffers("bob-session");
        deliveries.hookAnswerLost(d.offer());
        assertThat(undelivered()).isEqualTo(1);
        assertThat(messaging.inbox().read(bob, null).count()).as("offered again").isEqualTo(1);
    }

    @Test
    void aLostOrReleasedHookOfferIsOfferedAgainUnderTheSameIds() {
        send(1);
        Inbox.HookDelivery lost = messaging.inbox().forHook(bob, "r1", 9_000);
        deliveries.hookAnswerLost(lost.offer());
        Inbox.HookDelivery again = messaging.inbox().forHook(bob, "r2", 9_000);
        assertThat(again.offer().messageIds()).isEqualTo(lost.offer().messageIds());
        deliveries.hookAnswerWritten(again.offer());
        assertThat(deliveries.releaseHookOffers("bob-session")).isEqualTo(1);
        assertThat(undelivered()).isEqualTo(1);
        assertThat(messaging.inbox().read(bob, null).messages()).extracting(Views.InboxMessage::id)
                .isEqualTo(lost.offer().messageIds());
    }

    @Test
    void concurrentHookAnswersNeverShareAMessage() throws Exception {
        send(300);
        Set<String> seen = Collections.synchronizedSet(new HashSet<>());
        List<String> dupes = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        Inbox.HookDelivery d = messaging.inbox().forHook(bob, "r", 9_000);
                        if (d.offer() == null) continue;
                        d.offer().messageIds().forEach(id -> { if (!seen.add(id)) dupes.add(id); });
                        deliveries.hookAnswerWritten(d.offer());
                        deliveries.confirmHookOffers("bob-session");
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        assertThat(dupes).isEmpty();
        assertThat(seen).hasSize(300);
        assertThat(undelivered()).isZero();
    }

    @Test
    void aReceiptTheStoreRefusesKeepsItsMessagesFromASecondDeliveryAndIsWrittenOnceTheStoreIsBack() {
        send(2);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        dev.huddle.store.Transactor flaky = new dev.huddle.store.Transactor() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                if (down.get()) throw new dev.huddle.store.StoreException("store-degraded", "cannot reach the server", null, null);
                return db.inTransaction(work);
            }
        };
        Deliveries receipts = new Deliveries(store, flaky, Clock.systemUTC());
        Messaging m = Messaging.create(agents, store, new SqliteWakeStore(db), db, receipts, Wakes.NONE, new ChangeSignal(),
                new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), Clock.systemUTC());
        var req = new Deliveries.RequestRef(1, 1L);
        assertThat(m.inbox().read(bob, req).count()).isEqualTo(2);
        down.set(true); // the server went away after the response was written, before its receipt
        receipts.responseWritten(req);
        assertThat(store.countUndelivered("bob-session")).isEqualTo(2);
        assertThat(m.inbox().read(bob, new Deliveries.RequestRef(1, 2L)).count()).as("not offered again: the agent has them").isZero();
        assertThat(receipts.recordUnrecorded()).as("still down").isZero();
        down.set(false);
        assertThat(receipts.recordUnrecorded()).isEqualTo(1);
        assertThat(store.countUndelivered("bob-session")).isZero();
        assertThat(m.inbox().read(bob, new Deliveries.RequestRef(1, 3L)).count()).isZero();
    }
}
