package dev.huddle.store.postgres;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;

/**
 * What TLS costs the shared store: each figure with {@code sslmode=verify-full} beside the same without TLS
 * ({@code sslmode=disable}), on one cluster in one run (pg_hba takes both), interleaved so that load falls on both:
 * <ul>
 * <li>a new connection (TCP, TLS handshake, login), bare JDBC: what a reconnect costs;</li>
 * <li>an INSERT + COMMIT round trip, bare JDBC (the floor), and a message insert in a transaction of the store, as a
 * hub's send makes it (the write lock all hubs share included);</li>
 * <li>the cross-machine ask_peer round trip through real hubs and fronts ({@link CrossMachineAsk}): two teams of hubs,
 * one per store, their asks alternating.</li>
 * </ul>
 * Run (after {@code ./mvnw -B -o package -DskipTests}: the hubs and fronts run the jar): {@code ./mvnw -B -o test-compile
 * dependency:build-classpath -Dmdep.outputFile=target/cp.txt -q && java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * -Dhuddle.jar=target/huddle.jar dev.huddle.store.postgres.TlsStoreBench [N [asks]]}
 */
public final class TlsStoreBench {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int asks = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        Path certDir = Files.createTempDirectory("huddle-tls-bench-");
        TlsCerts certs = TlsCerts.make(certDir);
        PostgresServer server = PostgresServer.startTls(certs, true, true);
        try {
            PostgresTarget plainDb = server.createDatabase("plain");
            PostgresTarget tlsDb = server.createDatabase("tls");
            PostgresTarget plain = with(plainDb, "sslmode=disable");
            PostgresTarget tls = with(tlsDb, "sslmode=verify-full&sslrootcert=" + certs.ca());
            server.sql(plainDb.database(), "CREATE TABLE floor_rows (id BIGSERIAL PRIMARY KEY, body TEXT)");
            server.sql(tlsDb.database(), "CREATE TABLE floor_rows (id BIGSERIAL PRIMARY KEY, body TEXT)");

            double[][] connect = alternate(n / 4, TlsStoreBench::connectOnce, plain, tls);
            report("new connection (TCP, TLS handshake, login), bare JDBC", connect);
            double[][] bare = alternate(n, null, plain, tls);
            report("floor: INSERT + COMMIT round trip, bare JDBC", bare);
            double[][] store = storeCommits(plain, tls, n);
            report("message insert + commit in a store transaction (the hubs' write lock included)", store);
            double[][] ask = CrossMachineAsk.crossMachinePair(with(server.createDatabase("askp"), "sslmode=disable"),
                    with(server.createDatabase("askt"), "sslmode=verify-full&sslrootcert=" + certs.ca()), asks, 10);
            report("ask_peer round trip across machines (real hubs and fronts, 4 hubs, asks alternating)", ask);
        } finally {
            server.stop();
            try (var all = Files.walk(certDir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    private static PostgresTarget with(PostgresTarget t, String query) {
        return PostgresTarget.parse("postgresql://postgres@localhost:" + t.port() + "/" + t.database() + "?" + query);
    }

    private static void report(String what, double[][] plainAndTls) {
        double p = pct(plainAndTls[0], 50);
        double t = pct(plainAndTls[1], 50);
        System.out.printf("%s (ms, N=%d each): without TLS median %.3f p90 %.3f | verify-full median %.3f p90 %.3f | %.2fx%n", what,
                plainAndTls[0].length, p, pct(plainAndTls[0], 90), t, pct(plainAndTls[1], 90), t / p);
    }

    interface Timed {
        double once(PostgresTarget t) throws Exception;
    }

    /** {@code n} samples each, alternating between the two targets in blocks of 20 after a warm-up of each. */
    private static double[][] alternate(int n, Timed connectOrNull, PostgresTarget plain, PostgresTarget tls) throws Exception {
        if (connectOrNull != null) {
            double[][] out = new double[2][n];
            for (int i = -10; i < n; i++) {
                double a = connectOrNull.once(plain);
                double b = connectOrNull.once(tls);
                if (i >= 0) {
                    out[0][i] = a;
                    out[1][i] = b;
                }
            }
            return out;
        }
        try (Connection a = connect(plain); Connection b = connect(tls);
             var pa = a.prepareStatement("INSERT INTO floor_rows (body) VALUES (?)"); var pb = b.prepareStatement("INSERT INTO floor_rows (body) VALUES (?)")) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            double[][] out = new double[2][n];
            for (int i = -30; i < n; i++) {
                out[0][Math.max(i, 0)] = commitOnce(a, pa);
                out[1][Math.max(i, 0)] = commitOnce(b, pb);
            }
            return out;
        }
    }

    private static double commitOnce(Connection c, java.sql.PreparedStatement ps) throws Exception {
        long t0 = System.nanoTime();
        ps.setString(1, "x".repeat(80));
        ps.executeUpdate();
        c.commit();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double connectOnce(PostgresTarget t) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = connect(t)) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static Connection connect(PostgresTarget t) throws Exception {
        Properties p = new Properties();
        p.putAll(t.params());
        p.setProperty("user", t.user());
        return DriverManager.getConnection(t.jdbcUrl(), p);
    }

    private static double[][] storeCommits(PostgresTarget plain, PostgresTarget tls, int n) {
        try (PostgresDatabase a = PostgresDatabase.open(plain, null, "a"); PostgresDatabase b = PostgresDatabase.open(tls, null, "a")) {
            for (PostgresDatabase db : new PostgresDatabase[]{a, b}) {
                new PostgresAgentStore(db).save(agent("alice"));
                new PostgresAgentStore(db).save(agent("bob"));
            }
            var ma = new PostgresMessageStore(a);
            var mb = new PostgresMessageStore(b);
            double[][] out = new double[2][n];
            for (int i = -30; i < n; i++) {
                String id = "m" + i;
                long t0 = System.nanoTime();
                a.inTransaction(() -> ma.insert(message(id)));
                long t1 = System.nanoTime();
                b.inTransaction(() -> mb.insert(message(id)));
                long t2 = System.nanoTime();
                if (i >= 0) {
                    out[0][i] = (t1 - t0) / 1e6;
                    out[1][i] = (t2 - t1) / 1e6;
                }
            }
            return out;
        }
    }

    private static Agent agent(String id) {
        return Agent.create(id, id, BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(10, 1), T0);
    }

    private static Message message(String id) {
        return new Message(0, id, "/r", "alice", Message.Origin.PEER, "bob", "x".repeat(80), null, null, null, false, null, T0,
                null, null, null, null, null);
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
