package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.RawHubSocket;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input, each case on its own: malformed JSON-RPC lines, unknown tools and methods, wrong argument types,
 * lines over 1 MiB, garbage (or silence) instead of a hello, clients that disconnect mid-call. Each gets a
 * JSON-RPC error, a tool error, or a closed connection; and after each, the hub is the same process and still
 * serves a bystander agent that was connected all along.
 */
@HubTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
    private static final Duration T = Duration.ofSeconds(15);
    private static TestHome home;
    private static long hubPid;
    private static SimulatedAgent bystander;
    private static Path cwd;

    @BeforeAll
    static void startHub() {
        hubPid = home.startHub();
        cwd = home.newDir("bad");
        bystander = home.agent(cwd, "generic", Map.of());
        assertThat(bystander.call("set_my_state", Map.of("name", "bystander", "purpose", "watching"))).containsEntry("ok", true);
    }

    /** The hub survived whatever the test did and still answers the agent that was connected throughout. */
    @AfterEach
    void hubStillServesEveryoneElse() {
        assertThat(home.hubPid()).as("the same hub process").contains(hubPid);
        assertThat(bystander.call("get_my_session", Map.of())).containsEntry("ok", true).containsEntry("name", "bystander");
        assertThat(bystander.call("list_project_sessions", Map.of())).containsEntry("ok", true);
    }

    private RawFront initializedFront() {
        RawFront f = home.rawFront(cwd, Map.of());
        Map<String, Object> init = f.initialize("raw-test");
        assertThat(Json.str(init, "result", "serverInfo", "name")).isEqualTo("huddle");
        return f;
    }

    /** The front still works after the bad input, and everything it ever wrote to stdout was JSON-RPC. */
    private static void assertStillWorks(RawFront f) {
        assertThat(f.tool("get_my_session", Map.of())).containsEntry("ok", true);
        FrontLifecycleIT.assertOnlyJsonRpc(f.stdoutLines());
    }

    /** The error code of the first error response the front writes after its first {@code alreadySeen} lines. */
    private static int nextErrorCode(RawFront f, int alreadySeen) {
        AtomicInteger code = new AtomicInteger();
        await().atMost(T).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            List<String> lines = f.stdoutLines();
            Optional<Integer> first = lines.stream().skip(alreadySeen).map(Json::object).filter(m -> m.containsKey("error"))
                    .map(m -> Json.integer(m, "error", "code")).findFirst();
            assertThat(first).as("an error response; stdout: %s", lines).isPresent();
            code.set(first.get());
        });
        return code.get();
    }

    /** The message of the last error the front wrote: huddle's words, never a library's exception text. */
    private static String lastErrorMessage(RawFront f) {
        String message = f.stdoutLines().reversed().stream().map(Json::object).filter(m -> m.containsKey("error"))
                .map(m -> Json.str(m, "error", "message")).findFirst().orElseThrow();
        assertThat(message).doesNotContainIgnoringCase("jackson").doesNotContain("Exception", "Cannot deserialize", "JsonNode",
                "StreamReadConstraints", "McpSchema");
        return message;
    }

    private static int errorCodeFor(RawFront f, String line) {
        int seen = f.stdoutLines().size();
        f.sendLine(line);
        return nextErrorCode(f, seen);
    }

    @Test
    void malformedJsonRpcLinesGetErrorsAndTheSessionGoesOn() {
        RawFront f = initializedFront();
        assertThat(errorCodeFor(f, "{\"jsonrpc\":\"2.0\",\"id\":501,\"method\":\"tools/call\",\"params\":{")).isEqualTo(-32700);
        assertStillWorks(f);
        assertThat(errorCodeFor(f, "this is not json at all")).isEqualTo(-32700);
        assertThat(errorCodeFor(f, "[1,2,3]")).isEqualTo(-32600);
        assertThat(errorCodeFor(f, "{\"jsonrpc\":\"2.0\",\"id\":{\"nested\":true},\"method\":\"ping\"}")).isEqualTo(-32600);
        assertThat(lastErrorMessage(f)).isEqualTo("invalid request: id must be a string or an integer");
        assertThat(errorCodeFor(f, "{\"jsonrpc\":\"2.0\",\"id\":504,\"method\":\"ping\",\"params\":" + "[".repeat(600) + "]".repeat(600) + "}"))
                .isEqualTo(-32700);
        assertThat(lastErrorMessage(f)).contains("levels of nesting");
        assertThat(errorCodeFor(f, "{\"jsonrpc\":\"2.0\",\"id\":505,\"error\":\"not an error object\"}")).isEqualTo(-32600);
        assertThat(lastErrorMessage(f)).startsWith("invalid request: ");
        // Valid JSON that is not a JSON-RPC 2.0 request: the error carries the request's id.
        f.sendLine("{\"id\":502,\"method\":\"tools/list\"}");
        assertThat(Json.integer(f.awaitResponse(502, T), "error", "code")).isEqualTo(-32600);
        f.sendLine("{\"jsonrpc\":\"1.0\",\"id\":503,\"method\":\"tools/list\"}");
        assertThat(Json.integer(f.awaitResponse(503, T), "error", "code")).isEqualTo(-32600);
        assertThat(Json.integer(f.request("no/such/method", Map.of()), "error", "code")).isEqualTo(-32601);
        assertStillWorks(f);
    }

    @Test
    void unknownToolsGetAnError() {
        RawFront f = initializedFront();
        Map<String, Object> r = f.callTool("no_such_tool", Map.of());
        assertThat(Json.integer(r, "error", "code")).as("unknown tool: %s", r).isEqualTo(-32602);
        assertThat(String.valueOf(r)).contains("no_such_tool");
        Map<String, Object> noName = f.request("tools/call", Map.of("arguments", Map.of()));
        assertThat(isErrorResponse(noName)).as("tools/call without a name: %s", noName).isTrue();
        assertStillWorks(f);
    }

    @Test
    void wrongArgumentTypesGetAnErrorAndChangeNothing() {
        RawFront f = initializedFront();
        assertThat(f.tool("set_my_state", Map.of("purpose", "before"))).containsEntry("ok", true);

        List<Map<String, Object>> bad = List.of(
                Map.of("name", "set_my_state", "arguments", Map.of("purpose", 42)),
                Map.of("name", "set_my_state", "arguments", Map.of("name", List.of("x"), "purpose", "after")),
                Map.of("name", "set_my_state", "arguments", Map.of("unexpected", "field", "purpose", "after")),
                Map.of("name", "claim_session", "arguments", Map.of("session_id", 12345)),
                Map.of("name", "claim_session", "arguments", Map.of()),
                Map.of("name", "list_project_sessions", "arguments", Map.of("include_offline", "yes")),
                Map.of("name", "list_project_sessions", "arguments", "not an object"),
                Map.of("name", 7, "arguments", Map.of()));
        for (Map<String, Object> params : bad) {
            Map<String, Object> r = f.request("tools/call", params);
            assertThat(isErrorResponse(r)).as("%s -> %s", params, r).isTrue();
        }
        // A value of the right type that is not acceptable is a tool error with a code and a hint.
        Map<String, Object> badName = f.callTool("set_my_state", Map.of("name", "1 not a name"));
        assertThat(Json.at(badName, "result", "isError")).isEqualTo(true);
        Map<String, Object> body = RawFront.toolResult(badName);
        assertThat(body).containsEntry("ok", false);
        assertThat(Json.str(body, "error", "code")).isEqualTo("invalid-argument");
        assertThat(Json.str(body, "error", "hint")).isNotBlank();

        Map<String, Object> list = f.tool("list_project_sessions", Map.of());
        List<Object> mine = Json.list(list, "sessions").stream().filter(s -> Boolean.TRUE.equals(Json.at(s, "is_me"))).toList();
        assertThat(mine).hasSize(1);
        assertThat(Json.str(mine.getFirst(), "purpose")).as("no bad call changed the state").isEqualTo("before");
        assertThat(Json.at(mine.getFirst(), "name")).isNull();
        assertStillWorks(f);
    }

    @Test
    void aLineOverOneMebibyteThroughTheFrontIsRejected() {
        RawFront f = initializedFront();
        String big = "x".repeat((1 << 20) + 1000);
        f.sendLine("{\"jsonrpc\":\"2.0\",\"id\":777,\"method\":\"tools/call\",\"params\":{\"name\":\"set_my_state\","
                + "\"arguments\":{\"purpose\":\"" + big + "\"}}}");
        Map<String, Object> r = f.awaitResponse(777, T);
        assertThat(Json.integer(r, "error", "code")).isEqualTo(-32600);
        assertThat(Json.str(r, "error", "message")).contains("1 MiB");
        // Just under the limit passes through to the hub, where the tool refuses a purpose that long.
        String almost = "y".repeat((1 << 20) - 200);
        f.sendLine("{\"jsonrpc\":\"2.0\",\"id\":778,\"method\":\"tools/call\",\"params\":{\"name\":\"set_my_state\","
                + "\"arguments\":{\"purpose\":\"" + almost + "\"}}}");
        Map<String, Object> r2 = f.awaitResponse(778, T);
        assertThat(r2).doesNotContainKey("error");
        assertThat(Json.at(r2, "result", "isError")).isEqualTo(true);
        assertStillWorks(f);
    }

    @Test
    void aLineOverOneMebibyteStraightToTheHubIsRejected() {
        try (RawHubSocket s = RawHubSocket.connect(home.paths().mcpSocket())) {
            Map<String, Object> hello = RawHubSocket.hello("mcp");
            hello.put("ppid", ProcessHandle.current().parent().orElseThrow().pid()); // the caller's parent, as the hub reads it
            hello.put("cwd", cwd.toString());
            s.sendLine(Json.write(hello));
            assertThat(s.readJson(T)).containsEntry("ok", true);
            s.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            assertThat(s.readResponse(1, T)).containsKey("result");
            s.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            s.send(("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"get_my_session\","
                    + "\"arguments\":{\"pad\":\"" + "z".repeat(3 << 20) + "\"}}}\n").getBytes(StandardCharsets.UTF_8));
            assertThat(Json.integer(s.readResponse(2, T), "error", "code")).isEqualTo(-32600);
            s.sendLine("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertThat(s.readResponse(3, T)).containsKey("result");
        }
    }

    @Test
    void garbageInsteadOfAHelloGetsBadHelloAndAClosedConnection() {
        for (String garbage : List.of("GET / HTTP/1.1\r", "not json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}",
                "{\"huddle\":2,\"kind\":\"mcp\"}", "{\"huddle\":1,\"kind\":\"shell\"}", "{\"huddle\":1,\"kind\":\"mcp\",\"cwd\":\"relative\"}")) {
            try (RawHubSocket s = RawHubSocket.connect(home.paths().mcpSocket())) {
                s.sendLine(garbage);
                assertThat(s.readJson(T)).as("reply to %s", garbage).containsEntry("ok", false).containsEntry("error", "bad-hello");
                assertThat(s.awaitEof(T)).as("closed after %s", garbage).isTrue();
            }
        }
        // Binary noise: refused and closed.
        try (RawHubSocket s = RawHubSocket.connect(home.paths().mcpSocket())) {
            byte[] noise = new byte[200_000];
            Arrays.fill(noise, (byte) 0xff);
            s.trySend(noise);
            s.trySend("\n".getBytes(StandardCharsets.UTF_8));
            String first = s.readLine(T);
            if (!RawHubSocket.EOF.equals(first)) assertThat(Json.object(first)).containsEntry("error", "bad-hello");
            assertThat(s.awaitEof(T)).isTrue();
        }
    }

    @Test
    void silentConnectionsDoNotBlockOthers() {
        List<RawHubSocket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) silent.add(RawHubSocket.connect(home.paths().mcpSocket()));
            // While five connections say nothing, others are greeted and served at once.
            TestHome.Result ps = home.cli(cwd, "ps", "--json");
            assertThat(ps.exit()).isZero();
            assertThat(ps.stdout()).contains("bystander");
        } finally {
            silent.forEach(RawHubSocket::close);
        }
    }

    @Test
    void clientsThatDisconnectMidCall() throws Exception {
        // Raw connections that pipeline calls and vanish without reading the answers, the last request cut off.
        for (int round = 0; round < 5; round++) {
            RawHubSocket s = RawHubSocket.connect(home.paths().mcpSocket());
            Map<String, Object> hello = RawHubSocket.hello("mcp");
            hello.put("ppid", ProcessHandle.current().parent().orElseThrow().pid()); // the caller's parent, as the hub reads it
            hello.put("cwd", cwd.toString());
            StringBuilder burst = new StringBuilder(Json.write(hello)).append('\n');
            burst.append("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n");
            burst.append("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            for (int i = 0; i < 50; i++) {
                burst.append("{\"jsonrpc\":\"2.0\",\"id\":").append(100 + i)
                        .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"list_project_sessions\",\"arguments\":{}}}\n");
            }
            burst.append("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"set_my_state\"");
            s.trySend(burst.toString().getBytes(StandardCharsets.UTF_8));
            s.close();
        }
        // A real front killed (-9) with calls in flight.
        RawFront f = initializedFront();
        String handle = Json.str(f.tool("get_my_session", Map.of()), "handle");
        for (int i = 0; i < 20; i++) f.sendToolCall("list_project_sessions", Map.of());
        TestHome.kill9(f.frontPid());
        f.close();
        // Its agent goes offline once the hub has done with the dead connection and the calls it carried.
        await().atMost(T).untilAsserted(() -> assertThat(Json.list(bystander.call("list_project_sessions", Map.of()), "sessions"))
                .anySatisfy(s -> assertThat(Json.map(s)).containsEntry("handle", handle).containsEntry("online", false)));
        assertThat(TestHome.alive(hubPid)).isTrue();
    }

    static boolean isErrorResponse(Map<String, Object> r) {
        return r.containsKey("error") || Boolean.TRUE.equals(Json.at(r, "result", "isError"));
    }
}
