package dev.huddle.it;

import dev.huddle.agents.codex.CodexQueueWaker;
import dev.huddle.core.identity.Handles;
import dev.huddle.it.support.Codex;
import dev.huddle.it.support.CodexTui;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.ScriptedResponses.Reply;
import dev.huddle.it.support.ScriptedResponses.Request;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A wake across machines through {@code codex queue} (issue 19, item 3): the devbox's idle interactive Codex (the real
 * TUI of Codex 0.169.0 in tmux, offline against a scripted Responses API, installed with {@code huddle setup} against the
 * devbox's hub, as in {@link CodexTuiIT}) is woken when {@code huddle send} runs on the laptop. The laptop's hub decides
 * (the shared policy) and runs no route; the devbox's hub takes the decision and queues huddle's pointer for the
 * session's thread with its own {@code codex queue}; Codex starts a turn with it, whose {@code UserPromptSubmit} hook
 * (on the devbox) hands the message over, once. The app-server's control socket is out of sight, so the route tried
 * first ({@code codex_turn_start}) has nothing to talk to and the queue is the route, as {@link CodexTuiIT}'s fallback.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrossMachineCodexWakeIT {
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you";
    private static final Path CONTROL_SOCKET = Path.of("app-server-control", "app-server-control.sock");
    private static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void aHuddleSendOnTheLaptopWakesTheDevboxCodexThroughCodexQueueRunByTheDevboxHub(TestHomes homes) throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null).as("tmux installed").isTrue();
        PostgresTarget db = PostgresServer.newDatabase("cxwake");
        TestHome laptop = homes.machine(db, "laptop");
        TestHome devbox = homes.machine(db, "devbox");
        Path repo = devbox.newGitRepository("cxm"); // one path on this one machine: both hubs name the project alike
        // a retry would come soon after the route timeout, so a second wake shows within the test
        Files.writeString(laptop.home().resolve("config.json"), "{\"wake_retry_first_delay_ms\": 1500}");
        Files.writeString(devbox.home().resolve("config.json"), "{\"wake_retry_first_delay_ms\": 1500}");
        laptop.startHub();
        devbox.startHub();
        try (Codex codex = Codex.in(devbox)) {
            codex.trust(repo);
            codex.installWithHuddleSetup(repo);
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String marker = "XM-" + tag, name = "xm-" + tag, body = "the laptop needs the migration reviewed " + tag;
            codex.model().on(marker, r -> {
                if (r.lastUserText().contains(POINTER)) return r.afterTool() ? Reply.text("Read them.") : Reply.huddle("read_my_messages", Map.of());
                if (!r.callsSoFar().contains("set_my_state")) {
                    if (r.callsSoFar().size() > 30) throw new AssertionError("huddle's MCP server never came up");
                    if (!r.toolNames().contains("mcp__huddle.set_my_state")) return Reply.shell("sleep 0.3"); // MCP starts in the background
                    return Reply.huddle("set_my_state", Map.of("name", name, "purpose", "waits on the devbox to be woken"));
                }
                return Reply.text("Ready.");
            });
            CodexTui tui = codex.tui(repo, "cx", List.of(marker));
            tui.trustAllHooks(STEP);

            // the laptop sees the devbox's session idle, through the shared store
            SimulatedAgent peer = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
            Map<String, Object> session = awaitIdle(peer, name);
            String thread = Json.str(session, "session_id"), handle = Handles.handle(thread);

            Path control = codex.codexHome().resolve(CONTROL_SOCKET);
            Path hidden = control.resolveSibling("hidden-by-the-test.sock");
            Files.move(control, hidden);
            Request woken;
            String id;
            try {
                TestHome.Result send = laptop.cli(repo, "send", "--json", handle, body);
                assertThat(send.exit()).as("huddle send on the laptop%n%s", send).isZero();
                Map<String, Object> sent = Json.map(send.json(), "messages", 0);
                assertThat(sent).as("huddle send --json").containsEntry("wake_status", "will_fire");
                assertThat(Json.str(sent, "wake_reason")).contains("carried out by the hub of its machine, devbox");
                id = Json.str(sent, "message_id");
                woken = awaitRequest(codex, thread, r -> r.lastUserText().contains(POINTER) && !r.afterTool()
                        && String.join("\n", r.messages("developer")).contains(body), "the woken turn, with the pointer and the message", devbox, laptop);
            } finally {
                Files.move(hidden, control);
            }
            awaitRequest(codex, thread, r -> r.afterTool() && r.lastUserText().contains(POINTER) && "read_my_messages".equals(r.callsSoFar().getLast()),
                    "the woken turn reads its messages", devbox, laptop);

            // decided on the laptop, taken once and carried out by the devbox's hub with its own codex queue
            // (a queued wake stays with Codex, so no timer follows it up: no retry, no confirmation row, on one machine alike)
            await("the devbox hub's route outcome").atMost(STEP).pollInterval(Duration.ofMillis(200))
                    .until(() -> !CrossMachineIT.rows(db, id, "route IS NOT NULL").isEmpty());
            assertThat(CrossMachineIT.rows(db, id, "status = 'will_fire'")).containsExactly("will_fire/laptop/null/taken");
            assertThat(CrossMachineIT.rows(db, id, "route IS NOT NULL")).as("every route run for it")
                    .containsExactly("fired_unconfirmed/devbox/" + CodexQueueWaker.ROUTE + "/-");
            assertThat(CrossMachineIT.rows(db, id, "machine = 'laptop'")).as("the laptop only decided").containsExactly("will_fire/laptop/null/taken");
            assertThat(laptop.logTail()).as("the laptop's hub log").doesNotContain(CodexQueueWaker.ROUTE).doesNotContain("codex queue");
            assertThat(PostgresServer.shared().query(db.database(), "SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL) || '/' || count(*)"
                    + " FROM messages WHERE id = '" + id + "'")).containsExactly("1/1");

            // delivered once: the woken turn got it as its hook's context, its read_my_messages did not hand it out again,
            // and no second woken turn came
            List<Request> ofThread = codex.model().requestsOfThread(thread);
            Request last = ofThread.getLast();
            long handedOver = last.messages("developer").stream().filter(t -> t.contains(body)).count();
            String read = last.outputOf("read_my_messages");
            assertThat(handedOver + (read != null && read.contains(body) ? 1 : 0)).as("the message handed to the session, in %s", woken).isEqualTo(1);
            assertThat(ofThread.stream().filter(r -> r.main() && !r.afterTool() && r.lastUserText().contains(POINTER)).map(Request::turnId).distinct())
                    .as("woken turns").hasSize(1);
            assertThat(codex.model().scriptFailures()).as("the script").isEmpty();

            // past the point where a hub's timers would follow an unconfirmed wake up (the 30 s route timeout, then a
            // retry 1.5 s after it): still nothing run by the laptop, and no second wake
            await("past the timers' look at the wake").atMost(STEP).pollInterval(Duration.ofMillis(500))
                    .until(() -> PostgresServer.shared().query(db.database(), "SELECT count(*) FROM wakes WHERE message_id = '" + id
                            + "' AND status = 'will_fire' AND at < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 35000"), n -> n.equals(List.of("1")));
            assertThat(CrossMachineIT.rows(db, id, "true")).as("the wake's rows, after the timers' look")
                    .containsExactly("will_fire/laptop/null/taken", "fired_unconfirmed/devbox/" + CodexQueueWaker.ROUTE + "/-");
            assertThat(codex.model().requestsOfThread(thread).stream().filter(r -> r.main() && !r.afterTool() && r.lastUserText().contains(POINTER))
                    .map(Request::turnId).distinct()).as("woken turns, after the timers' look").hasSize(1);
            System.out.println("[cross-machine codex wake] " + PostgresServer.shared().query(db.database(), "SELECT status || ' ' || machine"
                    + " || ' ' || coalesce(route, '-') || ' ' || coalesce(reason, '') FROM wakes WHERE message_id = '" + id + "' ORDER BY id"));
        }
    }

    private static Map<String, Object> awaitIdle(SimulatedAgent peer, String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] found = new Map[1];
        await("the devbox's Codex session " + name + " idle, as the laptop sees it").atMost(STEP).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Object s : Json.list(peer.call("list_project_sessions", Map.of()), "sessions")) {
                if (name.equals(Json.str(s, "name")) && "idle".equals(Json.str(s, "activity", "state"))) found[0] = Json.map(s);
            }
            return found[0] != null;
        });
        return found[0];
    }

    private static Request awaitRequest(Codex codex, String thread, Predicate<Request> which, String what, TestHome devbox, TestHome laptop) {
        Request[] found = new Request[1];
        try {
            await(what).atMost(STEP).pollInterval(Duration.ofMillis(50)).until(() -> {
                found[0] = codex.model().requestsOfThread(thread).stream().filter(which).findFirst().orElse(null);
                return found[0] != null;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + "\n" + codex.model().describe() + "\ndevbox: " + devbox.logTail() + "\nlaptop: " + laptop.logTail(), e);
        }
        return found[0];
    }
}
