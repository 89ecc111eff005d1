package dev.huddle.store.postgres;

import dev.huddle.it.support.TestHome;
import dev.huddle.tools.demo.SimulatedAgent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements and transactions per tool call on a shared store, counted by the server: a private cluster logs every
 * statement ({@code log_min_duration_statement = 0}); real hubs and fronts make the calls; a marker statement on a
 * connection of the bench's own before and after each call delimits it in the log. Unlike a time, the counts do not
 * depend on the machine's load. Each tool is called 5 times after 100 warm-up rounds; the figure is the mean.
 * <ul>
 * <li>{@code empty read}: alice's read_my_messages with nothing waiting;</li>
 * <li>{@code send}: alice's send_message to bob;</li>
 * <li>{@code read one}: bob's read_my_messages that delivers that message;</li>
 * <li>{@code ask}: alice's ask_peer to bob, from the call to its answer, with bob's reads meanwhile;</li>
 * <li>{@code reply}: bob's reply_to_message that answers it.</li>
 * </ul>
 * Run (after {@code ./mvnw -B -o package -DskipTests}): {@code java -cp target/test-classes:target/classes:$(cat
 * target/cp.txt) -Dhuddle.jar=target/huddle.jar dev.huddle.store.postgres.PgStatementsBench}; with
 * {@code -Dhuddle.dump=reply} (any call's name) it also prints the statements of that call's first measured run.
 */
public final class PgStatementsBench {
    private static final Pattern MARK = Pattern.compile("execute <unnamed>: SELECT '(MARK|END)-([\\w ]+)'");
    private static PostgresServer server;

    private PgStatementsBench() {}

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        server = PostgresServer.startDurable();
        try {
            PostgresTarget t = server.createDatabase("statements");
            server.sql("postgres", "ALTER SYSTEM SET log_min_duration_statement = 0", "SELECT pg_reload_conf()");
            try (TestHome laptop = TestHome.create().withEnv("HUDDLE_STORE_URL", t.toString()).withEnv("HUDDLE_MACHINE", "laptop")) {
                Path repo = laptop.newProject("repo");
                SimulatedAgent a = agent(laptop, repo, "alice");
                SimulatedAgent b = agent(laptop, repo, "bob");
                for (int i = 0; i < 100; i++) {
                    a.call("send_message", Map.of("target", "bob", "body", "warm-up " + i));
                    b.call("read_my_messages", Map.of());
                    a.call("read_my_messages", Map.of());
                }
                for (int i = 0; i < 5; i++) {
                    around("empty read", () -> a.call("read_my_messages", Map.of()));
                    around("send", () -> a.call("send_message", Map.of("target", "bob", "body", "hello")));
                    around("read one", () -> b.call("read_my_messages", Map.of()));
                }
                for (int i = 0; i < 5; i++) {
                    Thread peer = Thread.ofPlatform().start(() -> {
                        while (true) {
                            Map<String, Object> got = b.call("read_my_messages", Map.of());
                            for (Map<String, Object> m : (List<Map<String, Object>>) got.getOrDefault("messages", List.of())) {
                                if (m.get("request_id") == null) continue;
                                around("reply", () -> b.call("reply_to_message", Map.of("message_id", m.get("id"), "body", "pong")));
                                return;
                            }
                        }
                    });
                    around("ask", () -> a.call("ask_peer", Map.of("target", "bob", "body", "ping", "timeout_ms", 10_000)));
                    peer.join();
                }
            }
            Thread.sleep(500); // the server writes its log lines as the statements end
            report(Files.readAllLines(Path.of(server.describe().get("dir")).resolve("server.log")));
        } finally {
            server.stop();
        }
    }

    private static SimulatedAgent agent(TestHome home, Path repo, String name) {
        SimulatedAgent s = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        s.call("set_my_state", Map.of("name", name));
        return s;
    }

    private static void around(String what, Runnable call) {
        server.sql("postgres", "SELECT 'MARK-" + what + "'");
        call.run();
        server.sql("postgres", "SELECT 'END-" + what + "'");
    }

    /** Per marked call: statements the hub ran (not the markers' own connections'), and how many were BEGIN. */
    private static void report(List<String> log) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // calls, statements, transactions
        String open = null;
        for (String line : log) {
            Matcher m = MARK.matcher(line);
            if (m.find()) {
                open = m.group(1).equals("MARK") ? m.group(2) : null;
                if (open != null) counts.computeIfAbsent(open, k -> new int[3])[0]++;
                continue;
            }
            if (open == null || !line.contains("duration:") || line.contains("SET application_name")) continue;
            if (!line.contains(" execute ") && !line.contains(" statement: ")) continue;
            int[] c = counts.get(open);
            if (open.equals(System.getProperty("huddle.dump")) && c[0] == 1) System.out.println(open + ": " + line.substring(line.indexOf("duration:")));
            c[1]++;
            if (line.contains("statement: BEGIN")) c[2]++;
        }
        System.out.println("| Tool call | statements | transactions | calls |");
        System.out.println("|---|---:|---:|---:|");
        counts.forEach((what, c) -> System.out.printf("| %s | %.1f | %.1f | %d |%n", what, (double) c[1] / c[0], (double) c[2] / c[0], c[0]));
    }
}
