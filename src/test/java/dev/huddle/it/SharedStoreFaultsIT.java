package dev.huddle.it;

import dev.huddle.it.SharedBurst.Named;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TcpProxy;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of a shared store, with two hubs (two HUDDLE_HOMEs and HUDDLE_MACHINEs) on one real PostgreSQL server and
 * real fronts: the database restarted, the network between one hub and the database cut, one hub killed with
 * {@code kill -9}, each in the middle of a burst of messages from one machine's agents to the other's while the
 * receivers read. Each prints its counts (sent, acknowledged, refused with {@code store-degraded}, stored,
 * delivered, lost, duplicated) and holds that every acknowledged message is stored once and delivered once, and that
 * the hubs recover by themselves.
 */
@HubTest
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class SharedStoreFaultsIT {
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 60;
    private static final int FAULT_AFTER = 80;

    private static TestHome machine(TestHomes homes, PostgresTarget db, String name) {
        return homes.machine(db, name)
                .withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
    }

    private static List<Named> agents(TestHome home, Path repo, String prefix, int n) throws Exception {
        List<CompletableFuture<Named>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                SimulatedAgent a = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
                assertThat(a.call("set_my_state", Map.of("name", name))).containsEntry("ok", true);
                return new Named(name, a);
            }, Thread::startVirtualThread));
        }
        List<Named> out = new ArrayList<>();
        for (CompletableFuture<Named> f : starting) out.add(f.get(120, TimeUnit.SECONDS));
        return out;
    }

    private static Map<String, String> stored(PostgresServer server, PostgresTarget db, String tag) {
        Map<String, String> rows = new HashMap<>();
        for (String line : server.query(db.database(), "SELECT id || ' ' || body FROM messages WHERE body LIKE '" + tag + " %'")) {
            int sp = line.indexOf(' ');
            rows.put(line.substring(0, sp), line.substring(sp + 1));
        }
        return rows;
    }

    private static SharedBurst.Counts finish(String what, SharedBurst burst, PostgresServer server, PostgresTarget db, String tag) {
        burst.drain();
        SharedBurst.Counts c = burst.counts(() -> stored(server, db, tag));
        System.out.println("SharedStoreFaultsIT " + what + ": " + c);
        burst.assertExactlyOnce(c, stored(server, db, tag));
        return c;
    }

    /** {@code asker} asks {@code target} across machines; the target replies as soon as the question arrives. */
    @SuppressWarnings("unchecked")
    private static void askAcross(Named asker, Named target) throws Exception {
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                asker.agent().call("ask_peer", Map.of("target", target.name(), "body", "still there?", "timeout_ms", 25_000)));
        Map<String, Object> question = await(target.name() + "'s question").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> ((List<Map<String, Object>>) target.agent().call("read_my_messages", Map.of()).get("messages"))
                        .stream().findFirst().orElse(null), Objects::nonNull);
        assertThat(target.agent().call("reply_to_message", Map.of("message_id", question.get("id"), "body", "yes"))).containsEntry("ok", true);
        Map<String, Object> answered = ask.get(40, TimeUnit.SECONDS);
        assertThat(answered).as(answered.toString()).containsEntry("timed_out", false);
        assertThat(((Number) answered.get("waited_ms")).longValue()).as("woken by the commit's notification").isLessThan(20_000);
    }

    @Test
    void theDatabaseRestartedMidBurst(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.startPrivate();
        try {
            PostgresTarget db = server.createDatabase("faults_restart");
            TestHome laptop = machine(homes, db, "laptop");
            TestHome devbox = machine(homes, db, "devbox");
            Path repo = laptop.newProject("repo");
            List<Named> senders = agents(laptop, repo, "a", SENDERS);
            List<Named> receivers = agents(devbox, repo, "b", 2);
            long laptopHub = laptop.hubPid().orElseThrow();
            long devboxHub = devbox.hubPid().orElseThrow();

            SharedBurst burst = new SharedBurst("restart", senders, receivers, PER_SENDER);
            burst.run(FAULT_AFTER, () -> {
                server.stop();
                await("sends refused while the server is down").atMost(Duration.ofSeconds(60)).until(() -> burst.failed() >= 3 * SENDERS);
                server.restart();
            });
            SharedBurst.Counts c = finish("database restarted", burst, server, db, "restart");
            assertThat(c.degraded()).as("the senders saw store-degraded while the server was down: " + c).isPositive();
            assertThat(c.otherErrors()).as("every failure a clear store-degraded: " + c).isZero();
            assertThat(laptop.hubPid()).as("no hub restarted").contains(laptopHub);
            assertThat(devbox.hubPid()).contains(devboxHub);
            askAcross(senders.getFirst(), receivers.getFirst());
        } finally {
            server.stopQuietly();
        }
    }

    @Test
    void theNetworkBetweenOneHubAndTheDatabaseCutMidBurst(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresTarget db = server.createDatabase("faults_cut");
        try (TcpProxy network = new TcpProxy(server.port())) {
            PostgresTarget throughProxy = PostgresTarget.parse("postgresql://postgres@127.0.0.1:" + network.port() + "/" + db.database());
            TestHome laptop = machine(homes, throughProxy, "laptop");
            TestHome devbox = machine(homes, db, "devbox");
            Path repo = laptop.newProject("repo");
            List<Named> senders = agents(laptop, repo, "a", SENDERS);
            List<Named> receivers = agents(devbox, repo, "b", 2);
            long laptopHub = laptop.hubPid().orElseThrow();

            SharedBurst burst = new SharedBurst("cut", senders, receivers, PER_SENDER);
            burst.run(FAULT_AFTER, () -> {
                network.cut();
                await("sends refused while the network is cut").atMost(Duration.ofSeconds(60)).until(() -> burst.failed() >= 3 * SENDERS);
                network.restore();
            });
            SharedBurst.Counts c = finish("network cut", burst, server, db, "cut");
            assertThat(c.degraded()).as("the laptop's agents saw store-degraded while cut: " + c).isPositive();
            assertThat(c.otherErrors()).as("every failure a clear store-degraded: " + c).isZero();
            assertThat(network.refused()).as("the hub tried to reconnect while cut").isPositive();
            assertThat(laptop.hubPid()).as("the laptop's hub recovered by itself").contains(laptopHub);
            // the laptop's LISTEN connection is back: an ask waiting there completes when the devbox's hub commits the reply
            askAcross(senders.getFirst(), receivers.getFirst());
        }
    }

    @Test
    void oneHubKilledWithKill9MidBurst(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresTarget db = server.createDatabase("faults_kill");
        TestHome laptop = machine(homes, db, "laptop");
        TestHome devbox = machine(homes, db, "devbox");
        Path repo = laptop.newProject("repo");
        List<Named> receivers = agents(laptop, repo, "a", 2);
        List<Named> senders = agents(devbox, repo, "b", SENDERS);
        long laptopHub = laptop.hubPid().orElseThrow();
        long devboxHub = devbox.hubPid().orElseThrow();

        SharedBurst burst = new SharedBurst("kill", senders, receivers, PER_SENDER);
        burst.run(FAULT_AFTER, () -> TestHome.kill9(devboxHub));
        SharedBurst.Counts c = finish("hub killed", burst, server, db, "kill");
        assertThat(TestHome.alive(devboxHub)).isFalse();
        assertThat(devbox.awaitHub(devboxHub, Duration.ofSeconds(30))).as("the devbox's fronts started a new hub").isNotEqualTo(devboxHub);
        assertThat(c.failed()).as("only calls in flight at the kill fail: " + c).isLessThanOrEqualTo(2 * SENDERS);
        assertThat(laptop.hubPid()).as("the laptop's hub kept working").contains(laptopHub);
        assertThat(receivers.getFirst().agent().call("send_message", Map.of("target", receivers.get(1).name(), "body", "after"))).containsEntry("ok", true);
        askAcross(receivers.getFirst(), senders.getFirst());
    }

    /**
     * A hub that goes silent in the middle of a transaction (frozen with SIGSTOP here: to the server, the same as a
     * network that drops its packets) holds the write lock all hubs share. The server ends its session once it has
     * been idle in that transaction for 20 s, so the other machine's agents wait that long at most, not until the
     * server's TCP keepalive gives up (hours). Then the frozen hub goes on (SIGCONT): nothing lost, nothing doubled.
     */
    @Test
    void aHubSilentInTheMiddleOfATransactionHoldsTheOtherMachinesUpTwentySecondsAtMost(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresTarget db = server.createDatabase("faults_silent");
        TestHome laptop = machine(homes, db, "laptop");
        TestHome devbox = machine(homes, db, "devbox");
        Path repo = laptop.newProject("repo");
        List<Named> senders = agents(laptop, repo, "a", SENDERS);
        List<Named> receivers = agents(devbox, repo, "b", 2);
        long laptopHub = laptop.hubPid().orElseThrow();
        java.util.concurrent.atomic.AtomicLong heldUpMs = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicReference<Map<String, Object>> during = new java.util.concurrent.atomic.AtomicReference<>();

        SharedBurst burst = new SharedBurst("silent", senders, receivers, PER_SENDER);
        burst.run(FAULT_AFTER, () -> {
            String idleInTx = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.database() + "' AND state = 'idle in transaction'";
            for (int attempt = 0; ; attempt++) {
                assertThat(attempt).as("caught the laptop's hub in a transaction").isLessThan(50);
                TestHome.signal(laptopHub, "STOP");
                try { // held for a while, so it is the frozen hub's transaction, not one of the devbox's between two statements
                    await().during(Duration.ofMillis(400)).atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
                            .until(() -> !"0".equals(server.query(db.database(), idleInTx).getFirst()));
                    break;
                } catch (org.awaitility.core.ConditionTimeoutException notInATransaction) {
                    // frozen between two transactions: let it go on, and try again
                }
                TestHome.signal(laptopHub, "CONT");
            }
            long t0 = System.nanoTime();
            during.set(receivers.getFirst().agent().call("send_message", Map.of("target", receivers.get(1).name(), "body", "silent while the laptop is frozen")));
            heldUpMs.set((System.nanoTime() - t0) / 1_000_000);
            TestHome.signal(laptopHub, "CONT");
        });
        SharedBurst.Counts c = finish("hub silent in a transaction", burst, server, db, "silent");
        System.out.println("SharedStoreFaultsIT: the devbox's send waited " + heldUpMs.get() + " ms for the silent laptop's lock");
        assertThat(during.get()).as(String.valueOf(during.get())).containsEntry("ok", true);
        assertThat(heldUpMs.get()).as("held up by the silent hub's lock until the server ended its session").isLessThan(45_000);
        assertThat(laptop.hubPid()).as("the laptop's hub went on by itself").contains(laptopHub);
        askAcross(senders.getFirst(), receivers.getFirst());
        assertThat(c.otherErrors()).as("the frozen hub's call in flight failed with a clear store-degraded: " + c).isZero();
    }
}
