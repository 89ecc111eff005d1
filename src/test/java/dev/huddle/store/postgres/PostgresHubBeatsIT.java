package dev.huddle.store.postgres;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.HubHeartbeat;
import dev.huddle.store.MachineHub;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.huddle.store.postgres.PostgresDatabaseIT.agent;
import static org.assertj.core.api.Assertions.assertThat;

/** Hubs' heartbeats on a real server: the rule applied where agents are read, and a beat that waits for no writer. */
class PostgresHubBeatsIT {
    static final Instant STARTED = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void anotherMachinesAgentIsOfflineWhileItsHubIsSilentOrStoppedAndItsRowKeepsWhatItsOwnHubWrote() {
        PostgresTarget t = PostgresServer.newDatabase("beats");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox");
             PostgresHubBeats laptopBeats = new PostgresHubBeats(a); PostgresHubBeats devboxBeats = new PostgresHubBeats(b)) {
            var onLaptop = new PostgresAgentStore(a);
            new PostgresAgentStore(b).save(agent("bob", "bob"));
            assertThat(onLaptop.find("bob").orElseThrow().online()).as("a machine that never beat").isFalse();

            devboxBeats.beat("1.2.3", 4242, STARTED);
            laptopBeats.beat("1.2.3", 77, STARTED);
            assertThat(devboxBeats.machines()).filteredOn(m -> m.machine().equals("devbox")).singleElement()
                    .satisfies(m -> assertThat(m.rttMs()).isNull());
            assertThat(onLaptop.find("bob").orElseThrow().online()).as("its hub beats").isTrue();
            assertThat(onLaptop.listProject("/r", false)).extracting(Agent::online).containsExactly(true);
            List<MachineHub> machines = laptopBeats.machines();
            assertThat(machines).extracting(MachineHub::machine).containsExactly("devbox", "laptop");
            MachineHub devbox = machines.getFirst();
            assertThat(devbox.version()).isEqualTo("1.2.3");
            assertThat(devbox.pid()).isEqualTo(4242);
            assertThat(devbox.startedAt()).isEqualTo(STARTED);
            assertThat(devbox.agentsOnline()).isEqualTo(1);
            assertThat(devbox.agents()).isEqualTo(1);
            assertThat(devbox.heartbeat().silent()).isFalse();
            assertThat(machines.get(1).rttMs()).as("the laptop's first beat timed nothing yet").isNull();

            // nine seconds without a beat (the row's time moved back rather than the test sleeping)
            PostgresServer.shared().sql(t.database(), "UPDATE hubs SET last_heartbeat = last_heartbeat - 9000 WHERE machine = 'devbox'");
            Agent silent = onLaptop.find("bob").orElseThrow();
            assertThat(silent.online()).isFalse();
            long lastBeat = Long.parseLong(PostgresServer.shared().query(t.database(), "SELECT last_heartbeat FROM hubs WHERE machine = 'devbox'").getFirst());
            assertThat(silent.offlineAt()).as("offline since its last beat").isEqualTo(Instant.ofEpochMilli(lastBeat));
            assertThat(new PostgresAgentStore(b).find("bob").orElseThrow().online()).as("its own hub sees its row").isTrue();
            assertThat(laptopBeats.machines().getFirst().heartbeat().reason()).startsWith("machine devbox silent since ");

            // the laptop's hub saves what it was shown (a retirement): the row's liveness stays the devbox's to write
            onLaptop.save(silent.retired(Instant.now()));
            assertThat(PostgresServer.shared().query(t.database(), "SELECT online FROM agents WHERE agent_id = 'bob'")).containsExactly("1");

            devboxBeats.beat("1.2.3", 4242, STARTED);
            assertThat(onLaptop.find("bob").orElseThrow().online()).as("beating again").isTrue();
            assertThat(laptopBeats.machines().getFirst().rttMs()).as("its second beat carries the first's round trip").isNotNull();

            devboxBeats.stopped(4242);
            assertThat(onLaptop.find("bob").orElseThrow().online()).as("stopped in order: at once").isFalse();
            assertThat(laptopBeats.machines().getFirst().heartbeat().reason()).startsWith("machine devbox's hub stopped at ");
            devboxBeats.beat("1.2.3", 4242, STARTED);
            devboxBeats.stopped(999); // an older hub of the machine stopping late leaves the new one's row alone
            assertThat(onLaptop.find("bob").orElseThrow().online()).isTrue();
        }
    }

    @Test
    void aHubTimesItsBeatsNotificationAndABeatWakesNoWaiter() {
        PostgresTarget t = PostgresServer.newDatabase("beatnotify");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox");
             PostgresHubBeats beats = new PostgresHubBeats(a)) {
            java.util.concurrent.atomic.AtomicInteger changesSeenByB = new java.util.concurrent.atomic.AtomicInteger();
            b.onChange(changesSeenByB::incrementAndGet);
            beats.beat("1", 1, STARTED);
            org.awaitility.Awaitility.await("the beat's notice back on the laptop's listening connection")
                    .atMost(java.time.Duration.ofSeconds(10)).until(() -> beats.notifyLagUs() != null);
            beats.beat("1", 1, STARTED); // writes the lag it timed
            MachineHub laptop = beats.machines().getFirst();
            assertThat(laptop.notifyLagUs()).isNotNull().isBetween(0L, 10_000_000L);
            System.out.printf("commit -> this hub sees its NOTIFY: %.3f ms (one beat, loopback)%n", laptop.notifyLagUs() / 1000.0);
            new PostgresAgentStore(a).save(agent("alice", "alice")); // a commit the other hub is told of
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> changesSeenByB.get() > 0);
            int seen = changesSeenByB.get();
            for (int i = 0; i < 3; i++) beats.beat("1", 1, STARTED);
            new PostgresAgentStore(a).save(agent("carol", "carol")); // the next commit's notice comes after the beats'
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> changesSeenByB.get() > seen);
            assertThat(changesSeenByB.get()).as("the beats woke no waiter of the other hub: only the commit did").isEqualTo(seen + 1);
        }
    }

    @Test
    void aBeatDoesNotWaitForTheLockEveryWriterTakes() throws Exception {
        PostgresTarget t = PostgresServer.newDatabase("beatlock");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresHubBeats beats = new PostgresHubBeats(a)) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> a.write(c -> { // holds the shared write lock
                locked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }), Thread::startVirtualThread); // not the common pool: on two cores it has one thread, which this holds
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                CompletableFuture<Void> beat = CompletableFuture.runAsync(() -> beats.beat("1", 1, STARTED), Thread::startVirtualThread);
                beat.get(10, TimeUnit.SECONDS); // would time out if it queued behind the writer
                assertThat(beats.machines()).singleElement().satisfies(m -> assertThat(m.heartbeat().silent()).isFalse());
            } finally {
                release.countDown();
            }
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBeatComesBackAfterTheServerRestarts() {
        PostgresServer server = PostgresServer.startPrivate();
        try {
            PostgresTarget t = server.createDatabase("beatrestart");
            try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresHubBeats beats = new PostgresHubBeats(a)) {
                beats.beat("1", 1, STARTED);
                server.stop();
                server.restart();
                beats.beat("1", 1, STARTED); // its connection was lost: made again within the same beat
                assertThat(beats.machines()).singleElement().satisfies(m -> assertThat(m.heartbeat().age())
                        .isLessThan(HubHeartbeat.SILENT_AFTER));
            }
        } finally {
            server.stopQuietly();
        }
    }
}
