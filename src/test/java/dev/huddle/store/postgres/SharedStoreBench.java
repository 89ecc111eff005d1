package dev.huddle.store.postgres;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import org.postgresql.PGConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures of the shared store, each beside its floor measured in the same run, on a private cluster that syncs
 * commits to disk (fsync on, synchronous_commit on) over loopback:
 * <ul>
 * <li>commit → remote waiter: hub A inserts a message (its transaction commits); hub B's commit signal, fed by its
 * LISTEN connection, wakes a waiting thread. Floor: a bare JDBC INSERT + NOTIFY in autocommit, seen by a bare
 * LISTENing connection.</li>
 * <li>durable messages/s, 20 senders over 3 hubs (3 stores on one database), each message a transaction as the hub's
 * send makes it. Floor: one thread's single-row commits/s through bare JDBC. Beside it: the same 20 senders on
 * one SQLite store (the single-machine figure).</li>
 * <li>cross-machine ask_peer round trip through real hubs and fronts ({@link CrossMachineAsk}). Floors: the same-hub
 * ask_peer round trip (same fronts, same peer), and a bare JDBC INSERT + COMMIT round trip.</li>
 * </ul>
 * Run: {@code ./mvnw -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -q && java -cp
 * target/test-classes:target/classes:$(cat target/cp.txt) -Dhuddle.jar=target/huddle.jar dev.huddle.store.postgres.SharedStoreBench
 * [N [per-sender [asks]]]} (after {@code ./mvnw -B -o package -DskipTests}: the hubs and fronts run the jar)
 */
public final class SharedStoreBench {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final int SENDERS = 20;
    private static final int HUBS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ask")) {
            askOnly(args.length > 1 ? Integer.parseInt(args[1]) : 60, args.length > 2 ? Long.parseLong(args[2]) : 0);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int perSender = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int asks = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        PostgresServer server = PostgresServer.startDurable();
        try {
            PostgresTarget t = server.createDatabase("bench");
            double[] floorWake = notifyFloor(server, t, n);
            double[] wake = commitToRemoteWaiter(t, n);
            report("commit -> remote waiter (ms)", wake, floorWake);
            double[] commit = insertCommitRoundTrips(server, t, n);
            System.out.printf("floor: INSERT + COMMIT round trip, bare JDBC (ms): median %.3f p90 %.3f%n", pct(commit, 50), pct(commit, 90));
            CrossMachineAsk.Series ask = CrossMachineAsk.measure(server.createDatabase("ask"), asks, 10);
            System.out.printf("floor: ask_peer round trip, same hub (ms, N=%d): median %.2f p90 %.2f%n", asks,
                    pct(ask.sameHub(), 50), pct(ask.sameHub(), 90));
            System.out.printf("ask_peer round trip, across machines (ms, N=%d): median %.2f p90 %.2f (%.2f x same hub)%n", asks,
                    pct(ask.crossMachine(), 50), pct(ask.crossMachine(), 90), pct(ask.crossMachine(), 50) / pct(ask.sameHub(), 50));
            System.out.printf("  the peers' read_my_messages calls (ms): median %.2f p90 %.2f%n", pct(ask.peerRead(), 50), pct(ask.peerRead(), 90));
            System.out.printf("  across machines, its parts (ms, medians): ask -> the peer's read returns it %.2f; reply_to_message %.2f;"
                    + " reply returned -> ask answered %.2f%n", pct(ask.crossParts().toFound(), 50), pct(ask.crossParts().reply(), 50),
                    pct(ask.crossParts().back(), 50));
            CrossMachineAsk.Series polled = CrossMachineAsk.measure(server.createDatabase("askpolled"), asks, 10, 5);
            System.out.printf("the same with the peers reading every 5 ms (as the side-by-side's scripted peer): same hub median %.2f p90 %.2f;"
                    + " across machines median %.2f p90 %.2f (%.2f x same hub); their reads median %.2f%n", pct(polled.sameHub(), 50),
                    pct(polled.sameHub(), 90), pct(polled.crossMachine(), 50), pct(polled.crossMachine(), 90),
                    pct(polled.crossMachine(), 50) / pct(polled.sameHub(), 50), pct(polled.peerRead(), 50));
            double floorRate = singleRowCommitsPerSecond(server, t, 2000);
            double pgRate = sendersPerSecond(t, perSender);
            double sqliteRate = sqliteSendersPerSecond(perSender);
            System.out.printf("floor: single-row commits/s, one thread, bare JDBC: %.0f/s%n", floorRate);
            System.out.printf("durable messages/s, %d senders over %d hubs (PostgreSQL): %.0f/s (%.2f x floor)%n",
                    SENDERS, HUBS, pgRate, pgRate / floorRate);
            System.out.printf("durable messages/s, %d senders on one hub (SQLite): %.0f/s%n", SENDERS, sqliteRate);
        } finally {
            server.stop();
            System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    /** Only the ask_peer figures ({@code ask [asks [peer's pause in ms]]}), for a quick look at the round trip and its parts. */
    private static void askOnly(int asks, long peerPauseMs) throws Exception {
        System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        PostgresServer server = PostgresServer.startDurable();
        try {
            CrossMachineAsk.Series ask = CrossMachineAsk.measure(server.createDatabase("ask"), asks, 10, peerPauseMs);
            System.out.printf("ask_peer (ms, N=%d): same hub median %.2f; across machines median %.2f p90 %.2f; peer reads %.2f;"
                    + " parts: to found %.2f, reply %.2f, back %.2f%n", asks, pct(ask.sameHub(), 50), pct(ask.crossMachine(), 50),
                    pct(ask.crossMachine(), 90), pct(ask.peerRead(), 50), pct(ask.crossParts().toFound(), 50),
                    pct(ask.crossParts().reply(), 50), pct(ask.crossParts().back(), 50));
        } finally {
            server.stop();
            System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    private static void report(String what, double[] figure, double[] floor) {
        System.out.printf("floor: INSERT + NOTIFY -> LISTENer (ms): median %.3f p90 %.3f%n", pct(floor, 50), pct(floor, 90));
        System.out.printf("%s: median %.3f p90 %.3f (%.2f x floor)%n", what, pct(figure, 50), pct(figure, 90), pct(figure, 50) / pct(floor, 50));
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static Connection connect(PostgresTarget t) throws Exception {
        return DriverManager.getConnection(t.jdbcUrl(), t.user(), "");
    }

    private static double[] notifyFloor(PostgresServer server, PostgresTarget t, int n) throws Exception {
        server.sql(t.database(), "CREATE TABLE IF NOT EXISTS floor_rows (id BIGSERIAL PRIMARY KEY, body TEXT)");
        try (Connection writer = connect(t); Connection listener = connect(t)) {
            try (Statement st = listener.createStatement()) {
                st.execute("LISTEN floor");
            }
            PGConnection pg = listener.unwrap(PGConnection.class);
            double[] out = new double[n];
            for (int i = -30; i < n; i++) {
                long t0 = System.nanoTime();
                try (Statement st = writer.createStatement()) {
                    st.execute("INSERT INTO floor_rows (body) VALUES ('" + "x".repeat(80) + "'); NOTIFY floor");
                }
                while (true) {
                    var got = pg.getNotifications(10_000);
                    if (got != null && got.length > 0) break;
                }
                if (i >= 0) out[i] = (System.nanoTime() - t0) / 1e6;
            }
            return out;
        }
    }

    /** One row in a transaction of its own (autocommit off, INSERT, COMMIT), as the store's connections do it. */
    private static double[] insertCommitRoundTrips(PostgresServer server, PostgresTarget t, int n) throws Exception {
        server.sql(t.database(), "CREATE TABLE IF NOT EXISTS floor_rows (id BIGSERIAL PRIMARY KEY, body TEXT)");
        try (Connection c = connect(t); var ps = c.prepareStatement("INSERT INTO floor_rows (body) VALUES (?)")) {
            c.setAutoCommit(false);
            double[] out = new double[n];
            for (int i = -30; i < n; i++) {
                long t0 = System.nanoTime();
                ps.setString(1, "x".repeat(80));
                ps.executeUpdate();
                c.commit();
                if (i >= 0) out[i] = (System.nanoTime() - t0) / 1e6;
            }
            return out;
        }
    }

    private static Agent agent(String id) {
        return Agent.create(id, id, BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(10, 1), T0);
    }

    private static Message message(String id, String from, String to) {
        return new Message(0, id, "/r", from, Message.Origin.PEER, to, "x".repeat(80), null, null, null, false, null, T0,
                null, null, null, null, null);
    }

    private static double[] commitToRemoteWaiter(PostgresTarget t, int n) throws Exception {
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "a"); PostgresDatabase b = PostgresDatabase.open(t, null, "b")) {
            new PostgresAgentStore(a).save(agent("alice"));
            new PostgresAgentStore(a).save(agent("bob"));
            ChangeSignal signal = new ChangeSignal();
            b.onChange(signal::committed);
            var messages = new PostgresMessageStore(a);
            double[] out = new double[n];
            for (int i = -30; i < n; i++) {
                quiet(signal);
                long seen = signal.generation();
                long t0 = System.nanoTime();
                String id = "w" + i;
                a.inTransaction(() -> messages.insert(message(id, "alice", "bob")));
                signal.awaitAfter(seen, 10_000);
                if (i >= 0) out[i] = (System.nanoTime() - t0) / 1e6;
            }
            return out;
        }
    }

    /** Lets notifications of earlier commits arrive, so one does not pass for the next commit's. */
    private static void quiet(ChangeSignal signal) throws InterruptedException {
        long g = signal.generation();
        while (signal.awaitAfter(g, 20) != g) g = signal.generation();
    }

    private static double singleRowCommitsPerSecond(PostgresServer server, PostgresTarget t, int n) throws Exception {
        try (Connection c = connect(t); var ps = c.prepareStatement("INSERT INTO floor_rows (body) VALUES (?)")) {
            for (int i = 0; i < 200; i++) {
                ps.setString(1, "x".repeat(80));
                ps.executeUpdate();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ps.setString(1, "x".repeat(80));
                ps.executeUpdate();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double sendersPerSecond(PostgresTarget t, int perSender) throws Exception {
        List<PostgresDatabase> hubs = new ArrayList<>();
        try {
            for (int h = 0; h < HUBS; h++) hubs.add(PostgresDatabase.open(t, null, "hub" + h));
            var agents = new PostgresAgentStore(hubs.getFirst());
            for (int s = 0; s < SENDERS; s++) agents.save(agent("s" + s));
            List<Transactor> txs = new ArrayList<>();
            List<MessageStore> stores = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                PostgresDatabase db = hubs.get(s % HUBS);
                txs.add(db);
                stores.add(new PostgresMessageStore(db));
            }
            return run(txs, stores, perSender, "p");
        } finally {
            hubs.forEach(PostgresDatabase::close);
        }
    }

    private static double sqliteSendersPerSecond(int perSender) throws Exception {
        Path dir = Files.createTempDirectory("huddle-bench-");
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("huddle.db"))) {
            var agents = new SqliteAgentStore(db);
            for (int s = 0; s < SENDERS; s++) agents.save(agent("s" + s));
            List<Transactor> txs = new ArrayList<>();
            List<MessageStore> stores = new ArrayList<>();
            var store = new SqliteMessageStore(db);
            for (int s = 0; s < SENDERS; s++) {
                txs.add(db);
                stores.add(store);
            }
            return run(txs, stores, perSender, "q");
        } finally {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each sender sends {@code perSender} messages to the next sender, one transaction each; returns messages/s. */
    private static double run(List<Transactor> txs, List<MessageStore> stores, int perSender, String prefix) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int me = s;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                        String id = prefix + me + "-" + i;
                        txs.get(me).inTransaction(() -> stores.get(me).insert(message(id, "s" + me, "s" + ((me + 1) % SENDERS))));
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    e.printStackTrace();
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread th : threads) th.join();
        double s = (System.nanoTime() - t0) / 1e9;
        if (failed.get() > 0) throw new IllegalStateException(failed.get() + " senders failed");
        return done.get() / s;
    }
}
