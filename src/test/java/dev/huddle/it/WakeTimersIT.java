package dev.huddle.it;

import dev.huddle.agents.HookCommands;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.PaneAgent;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.FakeTui;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub's wake timers against a real hub with shortened figures ({@code config.json}): an unconfirmed wake is
 * retried with backoff through the real tmux route into a fake agent TUI and stops when the agent reads its mail; a
 * silent delegate of an ask is re-poked at most the cap, across a {@code kill -9} of the hub; a late reply to a
 * timed-out ask pulls its requester back once it is out of its other ask_peer. Each in its own home and private
 * tmux server; the records are read back through {@code huddle diagnose --json} and {@code message_status}.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WakeTimersIT {
    private TestHome home;
    @Project
    private Path repo;
    private Path tmp;
    private Path tmuxSocket;
    private final List<AutoCloseable> owned = new ArrayList<>();

    @BeforeEach
    void setUp() {
        home.withEnv("HUDDLE_WAKE_TERMINAL", "on"); // the keystroke route is what these timers drive
        tmp = home.newDir("hx-timers");
        tmuxSocket = tmp.resolve("tmux.sock");
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the home's cleanup kills what is left
            }
        }
        if (Files.exists(tmuxSocket)) tmux("kill-server");
    }

    // ---- (a) retry an unconfirmed wake ----

    @Test
    void anUnconfirmedWakeIsRetriedWithBackoffAndStopsWhenTheAgentReadsItsMail() throws Exception {
        assumeTmux();
        config("{\"wake_terminal\": true, \"wake_retry_first_delay_ms\": 2000, \"wake_retry_factor\": 2, \"wake_max_retries\": 3}");
        PaneAgent a = paneAgent("ta");

        TestHome.Result sent = home.cli(repo, "send", "--json", a.sessionId, "the build broke, please look");
        assertThat(sent.exit()).as(sent.toString()).isZero();
        assertThat(sent.stdout()).contains("\"wake_status\":\"will_fire\"");
        String m = messageId(sent.stdout());

        // The fake agent shows each wake text as submitted but never starts a turn: the hub retries.
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> a.submissions().size() >= 3);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("3 wake texts expected, got " + a.submissions() + "; diagnose: " + home.cli(repo, "diagnose", "--json").stdout(), e);
        }
        Map<String, Object> read = a.call("read_my_messages", Map.of()); // now the agent acts on the wake
        assertThat(read.toString()).contains("the build broke, please look");
        List<Map<String, Object>> rows = awaitRow(m, "confirmed", Duration.ofSeconds(30));
        assertThat(a.submissions()).as("the wake text, once per attempt").hasSize(3)
                .allSatisfy(s -> assertThat(s).contains("read_my_messages"));

        List<Map<String, Object>> decisions = rows.stream().filter(r -> "will_fire".equals(r.get("status"))).toList();
        assertThat(decisions).extracting(r -> r.get("kind")).containsExactly("operator", "retry", "retry");
        assertThat(decisions).extracting(r -> r.getOrDefault("attempt", 1)).containsExactly(1, 2, 3);
        assertThat(rows.stream().filter(r -> "fired".equals(r.get("status"))).map(r -> r.get("route")).toList())
                .containsExactly("tmux", "tmux", "tmux");
        long first = gapMs(decisions.get(0), decisions.get(1));
        long second = gapMs(decisions.get(1), decisions.get(2));
        assertThat(first).as("2 s after attempt 1's outcome").isGreaterThanOrEqualTo(2000);
        assertThat(second).as("then 4 s: backoff").isGreaterThanOrEqualTo(4000).isGreaterThan(first);
        Map<String, Object> confirmed = rows.getLast();
        assertThat(confirmed).containsEntry("attempt", 3).containsEntry("route", "tmux");
        assertThat((String) confirmed.get("reason")).startsWith("confirmed: the agent has the message (delivered via tool");

        // No fourth, and nothing to wait for: the confirmation is the look that would have sent a fourth attempt (8 s
        // after the third went out), and it ends the wake (the timers never retry a wake with a confirmed row).
        Map<String, Object> thirdOut = rows.stream().filter(r -> "fired".equals(r.get("status"))).reduce((x, y) -> y).orElseThrow();
        assertThat(gapMs(thirdOut, confirmed)).as("confirmed when a fourth attempt would have gone out").isGreaterThanOrEqualTo(8000);
        assertThat(a.submissions()).hasSize(3);
    }

    // ---- (b) re-poke a silent delegate ----

    @Test
    void aSilentDelegateOfAnAskIsRepokedAtMostTheCapEvenAcrossAHubCrash() throws Exception {
        config("{\"wake_repoke_grace_ms\": 2500, \"wake_repoke_spacing_ms\": 2500, \"wake_repoke_cap\": 3}");
        String delegate = UUID.randomUUID().toString();
        SimulatedAgent asker = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", delegate)); // never reads
        Map<String, Object> ask = asker.call("ask_peer", Map.of("target", delegate, "body", "which schema version?", "timeout_ms", 300));
        assertThat(ask).containsEntry("timed_out", true);
        String m = (String) ask.get("message_id");

        awaitRepokes(m, 1, Duration.ofSeconds(20));
        long hub = home.awaitHub(null, Duration.ofSeconds(5));
        TestHome.kill9(hub); // nothing of the timers is in memory only
        TestHome.awaitGone(hub, Duration.ofSeconds(10));
        home.startHub();
        awaitRepokes(m, 3, Duration.ofSeconds(30));
        // No fourth: a marker sent now is first re-poked one grace (= one spacing) later, when a fourth poke of this ask
        // would be due too, by a look that passes this ask first.
        markerRepoked(asker);
        List<Map<String, Object>> pokes = repokes(m);
        assertThat(pokes).extracting(r -> r.getOrDefault("attempt", 1)).containsExactly(1, 2, 3);
        assertThat(pokes).allSatisfy(r -> assertThat((String) r.get("reason")).startsWith("re-poking a silent delegate"));

        Map<String, Object> status = asker.call("message_status", Map.of("message_id", m));
        assertThat(status).containsEntry("status", "pending").containsEntry("wake_status", "skipped_no_route");
        assertThat((String) status.get("wake_reason")).contains("no rewake hook is armed");
    }

    // ---- (c) pull back a requester ----

    @Test
    void aLateReplyToATimedOutAskPullsTheRequesterBackOnceItIsOutOfItsOtherAsk() throws Exception {
        assumeTmux();
        config("{\"wake_terminal\": true, \"wake_pull_back_grace_ms\": 1500, \"wake_repoke_grace_ms\": 1000}");
        PaneAgent requester = paneAgent("tr");
        String expert = UUID.randomUUID().toString();
        SimulatedAgent e = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", expert));

        Map<String, Object> q1 = requester.call("ask_peer", Map.of("target", expert, "body", "q1: which port?", "timeout_ms", 300));
        assertThat(q1).containsEntry("timed_out", true);
        // The requester goes on and blocks in another ask_peer; meanwhile the first one is answered.
        CompletableFuture<Map<String, Object>> q2 = CompletableFuture.supplyAsync(() ->
                requester.call("ask_peer", Map.of("target", expert, "body", "q2: which host?", "timeout_ms", 5000)));
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (Object msg : Json.list(e.call("read_my_messages", Map.of()), "messages")) seen.add(Json.str(msg, "body"));
            return seen.contains("q2: which host?");
        });
        Map<String, Object> reply = e.call("reply_to_message", Map.of("message_id", q1.get("message_id"), "body", "a1: port 8080"));
        assertThat(reply).as("the reply's own wake: the requester is blocked in ask_peer").containsEntry("wake_status", "skipped_busy");
        String replyId = (String) reply.get("message_id");

        assertThat(q2.get(20, TimeUnit.SECONDS)).containsEntry("timed_out", true);
        Instant out = Instant.now();
        assertThat(requester.submissions()).as("no wake while it was blocked").isEmpty();
        await().atMost(Duration.ofSeconds(15)).until(() -> requester.submissions().size() == 1);
        assertThat(Duration.between(out, Instant.now())).isLessThan(Duration.ofSeconds(5));

        Map<String, Object> pull = rowsFor(replyId).stream().filter(r -> "pull_back".equals(r.get("kind")) && "will_fire".equals(r.get("status")))
                .findFirst().orElseThrow();
        assertThat((String) pull.get("reason")).startsWith("pulling back the requester");
        Map<String, Object> status = e.call("message_status", Map.of("message_id", replyId));
        assertThat(status).containsEntry("status", "pending").containsEntry("wake_status", "fired").containsEntry("wake_route", "tmux");

        assertThat(requester.call("read_my_messages", Map.of()).toString()).contains("a1: port 8080");
        // Once: a second pull-back could only come from a look that began before the reply was read, and a marker sent
        // now is re-poked by a look that begins after it.
        markerRepoked(e);
        assertThat(requester.submissions()).as("once").hasSize(1);
        assertThat(rowsFor(replyId).stream().filter(r -> "pull_back".equals(r.get("kind")) && "will_fire".equals(r.get("status")))).hasSize(1);
    }

    // ---- helpers ----

    private void assumeTmux() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null, "tmux not installed");
    }

    private void config(String json) throws IOException {
        Files.writeString(home.home().resolve("config.json"), json);
    }

    private static String messageId(String json) {
        java.util.regex.Matcher mm = java.util.regex.Pattern.compile("\"(?:message_id|id)\"\\s*:\\s*\"([0-9a-f]{16})\"").matcher(json);
        assertThat(mm.find()).as("a message id in " + json).isTrue();
        return mm.group(1);
    }

    /** The wake rows of a message from {@code huddle diagnose --json}, oldest first. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> rowsFor(String messageId) {
        TestHome.Result r = home.cli(repo, "diagnose", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object o : Json.list(r.json(), "recent_wakes")) {
            Map<String, Object> row = (Map<String, Object>) o;
            if (messageId.equals(row.get("message_id"))) rows.add(row);
        }
        return rows.reversed();
    }

    private List<Map<String, Object>> awaitRow(String messageId, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> rowsFor(messageId).stream().anyMatch(r -> status.equals(r.get("status"))));
        return rowsFor(messageId);
    }

    private List<Map<String, Object>> repokes(String messageId) {
        return rowsFor(messageId).stream().filter(r -> "repoke".equals(r.get("kind")) && "will_fire".equals(r.get("status"))).toList();
    }

    private void awaitRepokes(String messageId, int n, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> repokes(messageId).size() >= n);
    }

    /**
     * Sends a marker, an ask from {@code asker} to a new agent that never reads, and waits until the timers have decided
     * its first re-poke, whatever they decided (one within the 2 s debounce of the ask's own wake is skipped_debounced).
     * The timers look on one thread, and a look passes the messages due in the order they were sent: by then every
     * look before has recorded what it decided, and this one has passed every older message. Read from the database
     * (a reader beside the hub), not through a CLI per poll.
     */
    private void markerRepoked(SimulatedAgent asker) {
        String silent = UUID.randomUUID().toString();
        home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", silent));
        Map<String, Object> marker = asker.call("ask_peer", Map.of("target", silent, "body", "a marker for the timers", "timeout_ms", 300));
        assertThat(marker).containsEntry("timed_out", true);
        await("the marker's first re-poke").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.paths().database());
                 PreparedStatement st = c.prepareStatement("SELECT count(*) FROM wakes WHERE message_id = ? AND kind = 'repoke'")) {
                st.setString(1, (String) marker.get("message_id"));
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() && rs.getInt(1) > 0;
                }
            }
        });
    }

    private static long gapMs(Map<String, Object> a, Map<String, Object> b) {
        return Duration.between(Instant.parse((String) a.get("at")), Instant.parse((String) b.get("at"))).toMillis();
    }

    private String tmux(String... args) {
        return PaneAgent.tmux(home, tmuxSocket, args); // the panes get this home's environment, nothing of the caller's session
    }

    /** Starts a {@link PaneAgent} in a new session of the private tmux server and waits until the hub proved its pane. */
    private PaneAgent paneAgent(String name) throws Exception {
        PaneAgent a = new PaneAgent(home, repo, tmp, tmuxSocket, name);
        owned.add(a);
        return a.start();
    }
}
