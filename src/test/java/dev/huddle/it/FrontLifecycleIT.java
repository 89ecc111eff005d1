package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The front ({@code huddle mcp}): nothing but MCP on stdout; it exits when stdin closes or when its parent (the
 * agent) dies; when the hub dies mid-session it fails the call in flight with an error (never silence),
 * reconnects to a fresh hub it starts itself, and the agent's identity and state are intact.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FrontLifecycleIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String CLAUDE_SESSION = "0b6c8f4e-3f51-4a7e-9d1c-5e2f7a9b1c3d";

    /** Every line is a JSON-RPC 2.0 message: a response (id and result or error) or a request/notification. */
    static void assertOnlyJsonRpc(List<String> stdoutLines) {
        assertThat(stdoutLines).as("the front wrote something to stdout").isNotEmpty();
        for (String line : stdoutLines) {
            Map<String, Object> m;
            try {
                m = Json.object(line);
            } catch (RuntimeException e) {
                throw new AssertionError("a stdout line of the front is not a JSON object: " + line, e);
            }
            assertThat(m).as("stdout line %s", line).containsEntry("jsonrpc", "2.0");
            boolean response = m.containsKey("id") && !m.containsKey("method")
                    && (m.containsKey("result") ^ m.containsKey("error"));
            boolean request = m.get("method") instanceof String;
            assertThat(response || request).as("a JSON-RPC message: %s", line).isTrue();
        }
    }

    @Test
    void stdoutCarriesNothingButJsonRpcWhileTheFrontStartsTheHub(TestHome h) {
        RawFront f = h.rawFront(h.newDir("out"), Map.of());
        Map<String, Object> init = f.initialize("stdout-check");
        assertThat(Json.str(init, "result", "serverInfo", "name")).isEqualTo("huddle");
        Map<String, Object> tools = f.request("tools/list", Map.of());
        List<String> names = Json.list(tools, "result", "tools").stream().map(t -> Json.str(t, "name")).toList();
        assertThat(names).contains("list_project_sessions", "set_my_state", "get_my_session", "claim_session");
        assertThat(f.tool("set_my_state", Map.of("purpose", "checking stdout"))).containsEntry("ok", true);
        // One hub serves the home: a second one started in a race on a busy machine finds hub.lock held and exits.
        await("one hub").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(h.hubProcesses()).as("the front started a hub").hasSize(1));
        assertThat(f.tool("get_my_session", Map.of())).containsEntry("ok", true);
        assertThat(f.tool("list_project_sessions", Map.of())).containsEntry("count", 1);
        assertThat(Json.at(f.callTool("set_my_state", Map.of("name", "!bad")), "result", "isError")).isEqualTo(true);
        assertThat(f.request("ping", null)).containsKey("result");
        f.closeStdin();
        TestHome.awaitGone(f.process().pid(), Duration.ofSeconds(10));
        assertOnlyJsonRpc(f.stdoutLines());
        assertThat(f.stdoutLines()).as("exactly one line per request").hasSize(7);
    }

    @Test
    void theFrontExitsWhenStdinCloses(TestHome h) {
        RawFront f = h.rawFront(h.newDir("eof"), Map.of());
        f.initialize("eof");
        long front = f.frontPid();
        f.closeStdin();
        TestHome.awaitGone(front, Duration.ofSeconds(5));
        TestHome.awaitGone(f.process().pid(), Duration.ofSeconds(5));
        assertThat(f.process().exitValue()).isZero();
    }

    @Test
    void theFrontExitsWhenItsParentDies(TestHome h) {
        RawFront f = h.rawFront(h.newDir("orphan"), Map.of());
        f.initialize("orphan");
        long front = f.frontPid();
        // The test holds the front's stdin open: only the death of its parent (the agent process) can end it.
        TestHome.kill9(f.agentPid());
        TestHome.awaitGone(f.agentPid(), Duration.ofSeconds(5));
        assertThat(TestHome.alive(front)).as("the front right after its parent died").isTrue();
        TestHome.awaitGone(front, Duration.ofSeconds(5));
    }

    @Test
    void aCallInFlightWhenTheHubIsKilledGetsAnErrorAndTheNextCallSucceedsOnAFreshHub(TestHome h) {
        RawFront f = h.rawFront(h.newDir("kill"), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", CLAUDE_SESSION));
        f.initialize("claude-code");
        assertThat(f.tool("set_my_state", Map.of("name", "builder", "purpose", "compile the world"))).containsEntry("ok", true);
        Map<String, Object> before = f.tool("get_my_session", Map.of());
        assertThat(before).containsEntry("session_id", CLAUDE_SESSION).containsEntry("bound", true);
        long hub = h.awaitHub(null, T);

        // Freeze the hub so that the next call is certainly in flight, then kill it.
        TestHome.signal(hub, "STOP");
        await().atMost(T).until(() -> TestHome.stopped(hub));
        long front = f.frontPid();
        long written = TestHome.bytesWritten(front);
        int inFlight = f.sendToolCall("get_my_session", Map.of());
        await("the front passed the call on to the stopped hub").atMost(T).until(() -> TestHome.bytesWritten(front) > written);
        assertThat(f.stdoutLines()).as("no answer from a stopped hub").noneMatch(l -> l.contains("\"id\":" + inFlight + ","));
        TestHome.kill9(hub);
        Map<String, Object> error = f.awaitResponse(inFlight, Duration.ofSeconds(10));
        assertThat(error).as("the call in flight fails; it does not hang").containsKey("error");
        assertThat(Json.str(error, "error", "message")).contains("in flight");

        Map<String, Object> after = f.tool("get_my_session", Map.of());
        long fresh = h.awaitHub(hub, T);
        assertThat(after).containsEntry("ok", true).containsEntry("session_id", CLAUDE_SESSION)
                .containsEntry("handle", before.get("handle")).containsEntry("name", "builder")
                .containsEntry("client_type", "claude-code");
        Map<String, Object> list = f.tool("list_project_sessions", Map.of());
        assertThat(Json.list(list, "sessions")).hasSize(1);
        assertThat(Json.map(list, "sessions", 0)).containsEntry("purpose", "compile the world")
                .containsEntry("name", "builder").containsEntry("is_me", true).containsEntry("online", true);
        assertThat(h.hubProcesses()).containsExactly(fresh);
        assertOnlyJsonRpc(f.stdoutLines());
    }

    @Test
    void connectedFrontsRecoverFromKillNineOfTheHubWithTheirDataIntact(TestHome h) {
        Path cwd = h.newDir("crash");
        SimulatedAgent claude = h.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", CLAUDE_SESSION));
        SimulatedAgent plain = h.agent(cwd, "generic", Map.of());
        SimulatedAgent codex = h.agent(cwd, "codex-mcp-client", Map.of("CODEX_HOME", "/nonexistent/codex"));
        assertThat(claude.call("set_my_state", Map.of("name", "lead", "purpose", "plans"))).containsEntry("ok", true);
        assertThat(plain.call("set_my_state", Map.of("name", "helper", "purpose", "helps"))).containsEntry("ok", true);
        assertThat(codex.call("set_my_state", Map.of("name", "coder", "purpose", "codes"), Map.of("threadId", "thread-1234")))
                .containsEntry("ok", true);
        Map<String, Object> plainBefore = plain.call("get_my_session", Map.of());
        assertThat(plainBefore).containsEntry("bound", false);
        long hub = h.awaitHub(null, T);

        for (int round = 0; round < 2; round++) {
            TestHome.kill9(hub);
            TestHome.awaitGone(hub, Duration.ofSeconds(5));
            assertThat(claude.call("get_my_session", Map.of())).containsEntry("session_id", CLAUDE_SESSION).containsEntry("name", "lead");
            assertThat(plain.call("get_my_session", Map.of())).containsEntry("handle", plainBefore.get("handle")).containsEntry("name", "helper");
            assertThat(codex.call("get_my_session", Map.of())).containsEntry("session_id", "thread-1234").containsEntry("name", "coder");
            long fresh = h.awaitHub(hub, T);
            assertThat(h.hubProcesses()).as("the three fronts reconnect to one new hub").containsExactly(fresh);
            Map<String, Object> list = plain.call("list_project_sessions", Map.of());
            assertThat(list).containsEntry("count", 3);
            Set<String> rows = new HashSet<>();
            for (Object s : Json.list(list, "sessions")) {
                rows.add(Json.str(s, "name") + ":" + Json.str(s, "purpose") + ":" + Json.at(s, "online"));
            }
            assertThat(rows).containsExactlyInAnyOrder("lead:plans:true", "helper:helps:true", "coder:codes:true");
            hub = fresh;
        }
    }
}
