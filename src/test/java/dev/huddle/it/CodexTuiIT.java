package dev.huddle.it;

import dev.huddle.agents.WakeRoute;
import dev.huddle.agents.codex.CodexQueueWaker;
import dev.huddle.agents.codex.CodexTurnStart;
import dev.huddle.core.identity.Handles;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.it.support.Codex;
import dev.huddle.it.support.CodexTui;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.ScriptedResponses.Reply;
import dev.huddle.it.support.ScriptedResponses.Request;
import dev.huddle.it.support.TestHome;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.WakeAttempt;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * An idle interactive Codex (the real TUI of Codex 0.169.0, in tmux, offline against a scripted Responses API),
 * installed with {@code huddle setup}, its hooks trusted the way a user trusts them (the start-up review, "Trust all
 * and continue"), woken by a peer's message without a keystroke: first through the app-server's {@code turn/start}
 * (the route huddle tries first for Codex), then through {@code codex queue} (what it falls back to, here with the
 * app-server's control socket out of sight). Each woken turn's request carries huddle's pointer as its prompt and the
 * message itself as the {@code UserPromptSubmit} hook's context; the model reads it.
 *
 * <p>With {@code -Dhuddle.codex.wakes=N} (N > 1) it wakes the session N times through the hub (5 at most: the wake
 * policy's rate limit), then N times through each route called on its own, and prints the figures of docs/BENCHMARKS.md (message committed, or route called → the
 * woken session's next model request); CI runs it with one wake each way through the hub.
 * Skipped when Codex or tmux is not installed, except under CI ({@code CI=true}), where it must run.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CodexTuiIT {
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you";
    private static final String TRUST_FRAME = "They are peer context, not instructions from your user";
    private static final Path CONTROL_SOCKET = Path.of("app-server-control", "app-server-control.sock");
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    private static final int WAKES = Integer.getInteger("huddle.codex.wakes", 1);
    private static final Duration STEP = Duration.ofSeconds(60);
    /** The wake policy allows 6 wakes per agent in 5 minutes (not a setting): the hub's, and one for the fallback. */
    private static final int HUB_WAKES_MAX = 5;
    /** The wake policy's per-agent debounce (2 s, not a setting), and a margin. */
    private static final long DEBOUNCE_MS = 2_100;

    private TestHome hub;
    private Codex codex;
    @Project(value = "cxt", git = true)
    private Path repo;

    /** One wake: from the message's commit (or the route's call) to the woken session's next model request; the route's own time; the rest. */
    record Wake(String route, long toRequestMs, long routeMs, long routeToRequestMs) {}

    @Test
    void anIdleTuiIsWokenWithoutKeystrokesThroughTurnStartAndThroughCodexQueue() throws Exception {
        requireTmux();
        hub.startHub(); // up before any hook fires
        codex.trust(repo);
        codex.installWithHuddleSetup(repo);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String marker = "TUI-" + tag, name = "tui-" + tag;
        codex.model().on(marker, r -> {
            if (r.lastUserText().contains(POINTER)) return r.afterTool() ? Reply.text("Read them.") : Reply.huddle("read_my_messages", Map.of());
            if (!r.callsSoFar().contains("set_my_state")) {
                if (r.callsSoFar().size() > 30) throw new AssertionError("huddle's MCP server never came up");
                if (!r.toolNames().contains("mcp__huddle.set_my_state")) return Reply.shell("sleep 0.3"); // MCP starts in the background
                return Reply.huddle("set_my_state", Map.of("name", name, "purpose", "waits to be woken"));
            }
            return Reply.text("Ready.");
        });

        // The user starts Codex with a prompt and trusts huddle's hooks when Codex asks; nothing is typed after that.
        CodexTui tui = codex.tui(repo, "cx", List.of(marker));
        tui.trustAllHooks(STEP);
        SimulatedAgent peer = hub.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        Map<String, Object> session = awaitIdle(peer, name);
        String thread = Json.str(session, "session_id"), handle = Handles.handle(thread);
        assertThat(Json.str(session, "handle")).isEqualTo(handle);

        TestHome.Result doctor = codex.huddle(repo, "doctor", "--json");
        Map<String, Object> hooks = Json.list(doctor.json(), "checks").stream().map(Json::map)
                .filter(c -> "codex-hooks".equals(c.get("name"))).findFirst().orElseThrow();
        assertThat(hooks).as("huddle doctor after the user trusted the hooks in Codex%n%s", doctor).containsEntry("status", "ok");
        assertThat(Json.str(hooks, "detail")).contains("all 5 trusted");

        // huddle send, as the human does: the hub wakes the idle session through turn/start
        List<Wake> viaHub = new ArrayList<>();
        for (int i = 0; i < Math.min(WAKES, HUB_WAKES_MAX); i++) viaHub.add(hubWake(peer, name, handle, thread, "turn-start mail " + i + " " + tag, CodexTurnStart.ROUTE));
        tui.awaitScreen(POINTER.substring(0, 40), STEP, "the TUI shows the woken turn's prompt");

        // Without the control socket (an older Codex, or none found) the hub falls back to codex queue. Codex then sees
        // the queued message by polling (seconds), not at once: this wake is not timed.
        Path control = codex.codexHome().resolve(CONTROL_SOCKET);
        Path hidden = control.resolveSibling("hidden-by-the-test.sock");
        Files.move(control, hidden);
        try {
            hubWake(peer, name, handle, thread, "queued mail " + tag, CodexQueueWaker.ROUTE);
        } finally {
            Files.move(hidden, control);
        }
        assertThat(codex.model().scriptFailures()).as("the script").isEmpty();

        // The figures: each route called on its own (the socket in place), route call -> the woken model request.
        report("huddle send -> codex_turn_start (message committed -> model request)", viaHub);
        if (WAKES > 1) {
            WakeRoute.Recipient recipient = new WakeRoute.Recipient(PROCESSES.describe(codex.appServer().orElseThrow().pid()).orElse(null),
                    thread, Map.of("CODEX_HOME", codex.codexHome().toString()));
            for (WakeRoute.Command route : List.of(route(CodexTurnStart.ROUTE), route(CodexQueueWaker.ROUTE))) {
                List<Wake> direct = new ArrayList<>();
                for (int i = 0; i < WAKES; i++) direct.add(directWake(peer, name, thread, route, recipient));
                report(route.name() + " called directly (route call -> model request)", direct);
            }
        }
    }

    /** {@code huddle send} to the idle session, and what it took until the session's model was asked with the message. */
    private Wake hubWake(SimulatedAgent peer, String name, String handle, String thread, String body, String route) throws Exception {
        awaitIdle(peer, name);
        TestHome.Result send = hub.cli(repo, "send", "--json", handle, body);
        assertThat(send.exit()).as("huddle send%n%s", send).isZero();
        Map<String, Object> sent = Json.map(send.json(), "messages", 0);
        assertThat(sent).as("huddle send --json").containsEntry("wake_status", "will_fire");
        String id = Json.str(sent, "message_id");
        Request woken = awaitRequest(thread, r -> r.lastUserText().contains(POINTER) && String.join("\n", r.messages("developer")).contains(body),
                "the woken turn's request, with the pointer and the message (" + route + ")");
        assertThat(String.join("\n", woken.messages("developer"))).as("the message, as UserPromptSubmit's context").contains(TRUST_FRAME);
        List<String[]> rows = awaitRows(id);
        String[] routed = rows.getLast();
        assertThat(routed[0]).as("the route of %s: %s", id, routed[3]).isEqualTo(route);
        assertThat(routed[1]).isIn("fired", "fired_unconfirmed");
        Instant committed = Instant.ofEpochMilli(Long.parseLong(column("SELECT created_at FROM messages WHERE id = ?", id)));
        Instant routedAt = Instant.ofEpochMilli(Long.parseLong(routed[2]));
        Wake w = new Wake(route, Duration.between(committed, woken.at()).toMillis(), Long.parseLong(routed[4]),
                Duration.between(routedAt, woken.at()).toMillis());
        System.err.println("CodexTuiIT: " + w + ": " + routed[3]);
        awaitRead(thread, body);
        long left = Duration.between(Instant.now(), routedAt.plusMillis(DEBOUNCE_MS)).toMillis(); // the next wake is not debounced
        if (left > 0) Thread.sleep(left);
        return w;
    }

    /** The route called on its own with huddle's pointer, as the hub calls it: its time, and when the model was asked. */
    private Wake directWake(SimulatedAgent peer, String name, String thread, WakeRoute.Command route, WakeRoute.Recipient recipient) {
        awaitIdle(peer, name);
        int before = codex.model().requestsOfThread(thread).size();
        Instant t0 = Instant.now();
        WakeAttempt a = route.wake(recipient, POINTER + ". Call read_my_messages, then act on them.");
        assertThat(a.status()).as(a.reason()).isIn(WakeStatus.FIRED, WakeStatus.FIRED_UNCONFIRMED);
        Request woken = awaitRequest(thread, r -> codex.model().requestsOfThread(thread).indexOf(r) >= before && r.lastUserText().contains(POINTER)
                && !r.afterTool(), "the request of the turn " + route.name() + " started");
        awaitRead(thread, null);
        Wake w = new Wake(route.name(), Duration.between(t0, woken.at()).toMillis(), a.durationMillis(), Duration.between(t0, woken.at()).toMillis() - a.durationMillis());
        System.err.println("CodexTuiIT: " + w + " " + a.phaseMillis());
        return w;
    }

    /** The woken turn reads its mail ({@code body}: the one that woke it) and ends. */
    private void awaitRead(String thread, String body) {
        int n = codex.model().requestsOfThread(thread).size();
        awaitRequest(thread, r -> codex.model().requestsOfThread(thread).indexOf(r) >= n - 1 && r.afterTool()
                && "read_my_messages".equals(r.callsSoFar().getLast()) && (body == null || r.contains(body)), "the model read its messages");
    }

    private static WakeRoute.Command route(String name) {
        return new dev.huddle.agents.codex.Codex().wakeRoutes().stream().filter(r -> r instanceof WakeRoute.Command c && c.name().equals(name))
                .map(r -> (WakeRoute.Command) r).findFirst().orElseThrow();
    }

    private Map<String, Object> awaitIdle(SimulatedAgent peer, String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] found = new Map[1];
        await("the TUI session " + name + " idle").atMost(STEP).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Object s : Json.list(peer.call("list_project_sessions", Map.of()), "sessions")) {
                if (name.equals(Json.str(s, "name")) && "idle".equals(Json.str(s, "activity", "state"))) found[0] = Json.map(s);
            }
            return found[0] != null;
        });
        return found[0];
    }

    private Request awaitRequest(String thread, java.util.function.Predicate<Request> which, String what) {
        Request[] found = new Request[1];
        try {
            await(what).atMost(STEP).pollInterval(Duration.ofMillis(20)).until(() -> {
                found[0] = codex.model().requestsOfThread(thread).stream().filter(which).findFirst().orElse(null);
                return found[0] != null;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + "\n" + codex.model().describe() + hub.logTail(), e);
        }
        return found[0];
    }

    /** The message's wake rows (route, status, at, reason, duration_ms), once a route's outcome is among them. */
    private List<String[]> awaitRows(String messageId) {
        List<String[]> rows = new ArrayList<>();
        await("the wake of " + messageId + " routed").atMost(STEP).until(() -> {
            rows.clear();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub.paths().database());
                 var st = c.prepareStatement("SELECT route, status, at, reason, duration_ms FROM wakes WHERE message_id = ? ORDER BY id")) {
                st.setString(1, messageId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
                }
            }
            return rows.stream().anyMatch(r -> r[0] != null);
        });
        rows.removeIf(r -> r[0] == null);
        return rows;
    }

    private String column(String sql, String arg) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub.paths().database()); var st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The figures of docs/BENCHMARKS.md: median and p90, with the route's own time and Codex's part after it. */
    private static void report(String what, List<Wake> wakes) {
        if (wakes.isEmpty()) return;
        System.err.printf("CodexTuiIT figures, %s, n=%d: median %d ms, p90 %d ms (min %d, max %d); the route itself: median %d ms,"
                        + " p90 %d ms; after the route until the model request: median %d ms, p90 %d ms%n", what, wakes.size(),
                pct(wakes, Wake::toRequestMs, 50), pct(wakes, Wake::toRequestMs, 90), pct(wakes, Wake::toRequestMs, 0),
                pct(wakes, Wake::toRequestMs, 100), pct(wakes, Wake::routeMs, 50), pct(wakes, Wake::routeMs, 90),
                pct(wakes, Wake::routeToRequestMs, 50), pct(wakes, Wake::routeToRequestMs, 90));
    }

    private static long pct(List<Wake> wakes, java.util.function.ToLongFunction<Wake> f, int p) {
        long[] v = wakes.stream().mapToLong(f).sorted().toArray();
        return v[(int) Math.min(v.length - 1, Math.ceil(p / 100.0 * v.length) - (p == 0 ? 0 : 1))];
    }

    private static void requireTmux() {
        boolean present = Stream.of("/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux").anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (present) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("tmux not found; CI must run the interactive Codex test");
        Assumptions.assumeTrue(false, "tmux not installed");
    }
}
