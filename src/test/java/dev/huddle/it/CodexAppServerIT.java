package dev.huddle.it;

import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookCatalog;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Codex CLI runs the threads of all its TUIs that share a CODEX_HOME in one background {@code codex app-server},
 * so every thread's front has the same parent process. The thread id ({@code _meta.threadId}, a hook's
 * {@code session_id}) decides who a front or a hook speaks for, not the shared process. The fronts here are children
 * of this test JVM, which plays the app-server; each test has its own hub (what the hub learns about a shared
 * process stays in it).
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodexAppServerIT {
    private static final Map<String, String> CODEX_ENV = Map.of("CODEX_HOME", "/nonexistent/codex");
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private TestHome home;

    @BeforeEach
    void startHub() {
        home.startHub();
    }

    private RawFront thread(Path cwd) {
        RawFront f = home.directFront(cwd, CODEX_ENV);
        f.initialize("codex-mcp-client");
        return f;
    }

    private static Map<String, Object> as(String threadId) {
        return Map.of("threadId", threadId);
    }

    @Test
    void twoThreadsOfOneAppServerAreTwoAgentsWithTheirOwnInboxes() {
        Path cwd = home.newDir("appserver");
        RawFront one = thread(cwd);
        RawFront two = thread(cwd);
        Map<String, Object> me1 = one.tool("get_my_session", Map.of(), as("thread-one-0001"));
        // The second front has not named its thread yet: until it does, it speaks for its process's agent.
        assertThat(me1).containsEntry("session_id", "thread-one-0001").containsEntry("connected_fronts", 2);
        assertThat(Json.str(me1, "binding", "source")).isEqualTo("codex_meta");
        Map<String, Object> me2 = two.tool("get_my_session", Map.of(), as("thread-two-0002"));
        assertThat(me2).containsEntry("session_id", "thread-two-0002").containsEntry("connected_fronts", 1);
        assertThat(Json.str(me2, "binding", "source")).isEqualTo("codex_meta");
        assertThat(one.tool("get_my_session", Map.of(), as("thread-one-0001")))
                .as("the first thread keeps its identity").containsEntry("session_id", "thread-one-0001").containsEntry("connected_fronts", 1);
        // A call without _meta speaks for the front's thread too.
        assertThat(two.tool("get_my_session", Map.of())).containsEntry("session_id", "thread-two-0002");

        assertThat(one.tool("set_my_state", Map.of("name", "uno"), as("thread-one-0001"))).containsEntry("ok", true);
        assertThat(two.tool("set_my_state", Map.of("name", "dos"), as("thread-two-0002"))).containsEntry("ok", true);
        List<Object> agents = Json.list(home.cli(cwd, "ps", "--json").json(), "projects", 0, "agents");
        assertThat(agents).hasSize(2);
        assertThat(agents).allSatisfy(a -> assertThat(Json.map(a)).containsEntry("fronts", 1).containsEntry("online", true));

        assertThat(one.tool("send_message", Map.of("target", "dos", "body", "from one to two"), as("thread-one-0001"))).containsEntry("ok", true);
        assertThat(two.tool("send_message", Map.of("target", "uno", "body", "from two to one"), as("thread-two-0002"))).containsEntry("ok", true);
        assertThat(bodies(two.tool("read_my_messages", Map.of(), as("thread-two-0002")))).containsExactly("from one to two");
        assertThat(bodies(one.tool("read_my_messages", Map.of(), as("thread-one-0001")))).containsExactly("from two to one");

        // A third thread that starts after the process is known to be shared waits for its thread id on its own.
        RawFront three = thread(cwd);
        assertThat(three.tool("get_my_session", Map.of())).containsEntry("bound", false).containsEntry("connected_fronts", 1);
        // Its SessionStart hook names the thread: the one front of the process still waiting for a thread takes it.
        hook(cwd, "SessionStart", "thread-three-03", "\"source\":\"startup\"");
        assertThat(three.tool("get_my_session", Map.of())).containsEntry("session_id", "thread-three-03").containsEntry("connected_fronts", 1);
        assertThat(three.tool("get_my_session", Map.of(), as("thread-three-03"))).containsEntry("session_id", "thread-three-03");
        // Hooks of a thread reach its agent although the process is linked to the first thread's agent.
        String m = send(cwd, "dos", "hook mail for two");
        // The same command from the app-server's own tree (a thread's shell tool) names no session: none is assumed.
        TestHome.Result inside = home.cli(cwd, "send", "dos", "which thread am I?");
        assertThat(inside.exit()).isNotZero();
        assertThat(inside.stderr()).contains("hosts several sessions");
        String ctx = (String) Json.at(hook(cwd, "UserPromptSubmit", "thread-two-0002", "\"turn_id\":\"t1\",\"prompt\":\"hi\""),
                "hookSpecificOutput", "additionalContext");
        assertThat(ctx).contains(m).contains("hook mail for two");
        assertThat(hook(cwd, "UserPromptSubmit", "thread-one-0001", "\"turn_id\":\"t1\",\"prompt\":\"hi\"")).isEmpty();
        assertThat(one.tool("get_my_session", Map.of())).containsEntry("session_id", "thread-one-0001").containsEntry("connected_fronts", 1);

        // One thread ends: its agent goes offline, the others (same process, still running) stay online.
        two.close();
        three.close();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(agentRow(cwd, "thread-two-0002")).containsEntry("online", false));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(agentRow(cwd, "thread-three-03")).containsEntry("online", false));
        assertThat(agentRow(cwd, "thread-one-0001")).containsEntry("online", true).containsEntry("fronts", 1);
        assertThat(one.tool("list_project_sessions", Map.of("include_offline", false), as("thread-one-0001"))).containsEntry("count", 1);

        // ... and the first thread's front closing takes its agent offline although the app-server still runs.
        one.close();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(agentRow(cwd, "thread-one-0001")).containsEntry("online", false));
    }

    @Test
    void hooksOfEachThreadReachTheirOwnAgent() {
        Path cwd = home.newDir("hooks");
        RawFront one = thread(cwd);
        RawFront two = thread(cwd);
        // Hooks first (SessionStart comes before any tool call), then the fronts name their threads.
        hook(cwd, "SessionStart", "thread-hook-1", "\"source\":\"startup\"");
        hook(cwd, "SessionStart", "thread-hook-2", "\"source\":\"startup\"");
        assertThat(one.tool("get_my_session", Map.of(), as("thread-hook-1"))).containsEntry("session_id", "thread-hook-1");
        assertThat(two.tool("get_my_session", Map.of(), as("thread-hook-2"))).containsEntry("session_id", "thread-hook-2")
                .containsEntry("connected_fronts", 1);
        assertThat(Json.list(home.cli(cwd, "ps", "--json").json(), "projects", 0, "agents")).hasSize(2);

        String m1 = send(cwd, "thread-hook-1", "for the first thread");
        String m2 = send(cwd, "thread-hook-2", "for the second thread");
        String ctx2 = (String) Json.at(hook(cwd, "UserPromptSubmit", "thread-hook-2", "\"turn_id\":\"t1\",\"prompt\":\"hi\""),
                "hookSpecificOutput", "additionalContext");
        assertThat(ctx2).contains(m2).contains("for the second thread").doesNotContain(m1);
        String ctx1 = (String) Json.at(hook(cwd, "UserPromptSubmit", "thread-hook-1", "\"turn_id\":\"t1\",\"prompt\":\"hi\""),
                "hookSpecificOutput", "additionalContext");
        assertThat(ctx1).contains(m1).doesNotContain(m2);
        assertThat(Json.at(agentRow(cwd, "thread-hook-2"), "activity", "state")).isEqualTo("busy");

        two.close();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(agentRow(cwd, "thread-hook-2")).containsEntry("online", false));
        assertThat(agentRow(cwd, "thread-hook-1")).containsEntry("online", true);
        assertThat(one.tool("get_my_session", Map.of(), as("thread-hook-1"))).containsEntry("session_id", "thread-hook-1");
    }

    /** A Codex hook whose agent process ($PPID) is this JVM, the fronts' parent: what the app-server's hooks send. */
    private Map<String, Object> hook(Path cwd, String event, String sid, String extra) {
        String payload = "{\"session_id\":\"" + sid + "\",\"transcript_path\":null,\"cwd\":\"" + cwd + "\",\"hook_event_name\":\"" + event
                + "\",\"model\":\"gpt-5.3-codex\",\"permission_mode\":\"default\"," + extra + "}";
        Path in = home.newDir("payload").resolve("p.json");
        try {
            java.nio.file.Files.writeString(in, payload);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestHome.Result r = TestHome.run(cwd, Map.of("PATH", System.getenv("PATH")), Duration.ofSeconds(20), List.of("curl", "-sf",
                "--unix-socket", home.paths().httpSocket().toString(), "-H", "Expect:",
                "-H", HookCommands.PID_HEADER + ": " + ProcessHandle.current().pid(), "--data-binary", "@" + in,
                "http://huddle/hooks/codex/" + event + "?v=" + HookCatalog.VERSION));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.stdout().isBlank() ? Map.of() : Json.object(r.stdout());
    }

    /** The human's message: from outside this JVM, which plays the app-server (its children act for its agents). */
    private String send(Path cwd, String target, String body) {
        TestHome.Result r = home.cliOutsideThisProcessTree(cwd, "send", "--json", target, body);
        assertThat(r.exit()).as(r.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(?:message_id|id)\"\\s*:\\s*\"([0-9a-f]{16})\"").matcher(r.stdout());
        assertThat(m.find()).as("a message id in " + r.stdout()).isTrue();
        return m.group(1);
    }

    private Map<String, Object> agentRow(Path cwd, String sid) {
        for (Object p : Json.list(home.cli(cwd, "ps", "--json", "--all").json(), "projects")) {
            for (Object a : Json.list(Json.map(p), "agents")) {
                if (sid.equals(Json.map(a).get("session_id"))) return Json.map(a);
            }
        }
        throw new AssertionError("no agent " + sid + " in huddle ps");
    }

    @SuppressWarnings("unchecked")
    private static List<String> bodies(Map<String, Object> read) {
        return ((List<Map<String, Object>>) read.get("messages")).stream().map(m -> (String) m.get("body")).toList();
    }
}
