package dev.huddle.store.postgres;

import dev.huddle.store.ReadRequestStore;
import dev.huddle.store.WakeRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.huddle.store.postgres.PostgresDatabaseIT.T0;
import static dev.huddle.store.postgres.PostgresDatabaseIT.agent;
import static dev.huddle.store.postgres.PostgresDatabaseIT.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the owning hub reads and writes on a shared store (V015): the wakes other machines decided for its agents, each
 * taken once however many takers race, and the read requests it answers, conditionally, and deletes when expired.
 */
class OwningHubStoreIT {
    private static WakeRecord decision(String messageId, String target, Instant at) {
        return new WakeRecord(0, messageId, target, null, "codex", null, "will_fire", "idle", 1, at, null, "send");
    }

    @Test
    void aWakeDecidedOnOneMachineIsOwedToTheTargetsMachineAloneAndTakenOnce() throws Exception {
        PostgresTarget t = PostgresServer.newDatabase("owed");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            new PostgresAgentStore(a).save(agent("alice", "a"));
            new PostgresAgentStore(b).save(agent("bob", "b"));
            new PostgresMessageStore(a).insert(text("m1", "alice", "bob"));
            new PostgresMessageStore(a).insert(text("m2", "alice", "alice"));
            PostgresWakeStore onLaptop = new PostgresWakeStore(a);
            PostgresWakeStore onDevbox = new PostgresWakeStore(b);
            onLaptop.record(decision("m1", "bob", T0)); // the laptop decides for the devbox's bob
            onLaptop.record(decision("m2", "alice", T0)); // and for its own alice: its own to carry out
            onDevbox.record(decision("m0", "bob", T0)); // the devbox's own decision for bob: carried out as it was made

            assertThat(new PostgresAgentStore(a).otherMachine("bob")).contains("devbox");
            assertThat(new PostgresAgentStore(a).otherMachine("alice")).isEmpty();
            assertThat(new PostgresAgentStore(b).otherMachine("alice")).contains("laptop");
            assertThat(onLaptop.owedHere(T0.minusSeconds(1))).isEmpty();
            List<WakeRecord> owed = onDevbox.owedHere(T0.minusSeconds(1));
            assertThat(owed).extracting(WakeRecord::messageId).containsExactly("m1");
            assertThat(onDevbox.owedHere(T0.plusMillis(1))).as("older than the horizon: the timers'").isEmpty();

            // many takers at once (a hub's looks, or two hubs of one machine name): one takes it
            long id = owed.getFirst().id();
            AtomicInteger took = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> takers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PostgresWakeStore s = i % 2 == 0 ? onDevbox : onLaptop;
                takers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (s.take(id, T0.plusSeconds(1))) took.incrementAndGet();
                }));
            }
            go.countDown();
            for (Thread th : takers) th.join();
            assertThat(took).hasValue(1);
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).isEmpty();

            // a later row of the message for bob (its route outcome, a retry) ends what is owed as well
            new PostgresMessageStore(a).insert(text("m3", "alice", "bob"));
            onLaptop.record(decision("m3", "bob", T0));
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).extracting(WakeRecord::messageId).containsExactly("m3");
            onDevbox.record(new WakeRecord(0, "m3", "bob", null, "codex", "tmux", "fired", "typed", 1, T0, 5L, "send"));
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).isEmpty();
        }
    }

    @Test
    void aReadRequestIsAnsweredOnceByItsOwnerAndExpiredOnesAreDeleted() {
        PostgresTarget t = PostgresServer.newDatabase("reads");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            new PostgresAgentStore(a).save(agent("alice", "a"));
            new PostgresAgentStore(b).save(agent("bob", "b"));
            ReadRequestStore reader = new PostgresReadRequestStore(a);
            ReadRequestStore owner = new PostgresReadRequestStore(b);
            // the database's clock sets a request's times (V016) and decides what has expired: the hub's given now is not asked
            Instant now = Instant.now();
            long id = reader.ask("alice", "bob", "devbox", "{\"limit\":2}", now, now.plusSeconds(20));
            long stale = reader.ask(null, "bob", "devbox", "{}", now, now.plusSeconds(1));
            assertThat(owner.pendingFor("laptop", now)).isEmpty();
            assertThat(owner.pendingFor("devbox", now)).extracting(ReadRequestStore.ReadRequest::id).containsExactly(id, stale);
            await("the second request expired, by the server's clock").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> owner.pendingFor("devbox", now).size() == 1);
            assertThat(owner.pendingFor("devbox", now)).extracting(ReadRequestStore.ReadRequest::id).containsExactly(id);

            assertThat(owner.answer(id, ReadRequestStore.ANSWERED, "{\"ok\":true}", now)).isTrue();
            assertThat(owner.answer(id, ReadRequestStore.FAILED, "{}", now)).as("answered once").isFalse();
            assertThat(owner.answer(stale, ReadRequestStore.ANSWERED, "{}", now)).as("expired").isFalse();
            ReadRequestStore.ReadRequest answered = reader.find(id).orElseThrow();
            assertThat(answered.pending()).isFalse();
            assertThat(answered.response()).isEqualTo("{\"ok\":true}");
            assertThat(answered.requesterId()).isEqualTo("alice");

            assertThat(owner.deleteExpired(now)).isEqualTo(1);
            assertThat(reader.find(stale)).isEmpty();
            reader.delete(id);
            assertThat(reader.find(id)).isEmpty();
        }
    }
}
