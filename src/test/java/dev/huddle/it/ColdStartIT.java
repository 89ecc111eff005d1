package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import dev.huddle.protocol.tools.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No agent waits for a cold hub (issue 18, item 2): with no hub running, the front answers {@code initialize} and
 * {@code tools/list} before the hub's socket exists; the first tool call waits for the hub and is answered; the hub
 * knows the agent exactly as when it was up first (same hello, same client info, same bound session id).
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ColdStartIT {
    private static final String CLAUDE_SESSION = "5d1b7c2e-8f3a-4b6d-9e0f-1a2b3c4d5e6f";

    @Test
    void initializeIsAnsweredBeforeTheHubExistsAndTheFirstCallWaitsForIt(TestHome h) throws Exception {
        // The hub the front starts waits at a gate, so "before the socket exists" holds however fast the machine is.
        Path gate = h.newDir("gate").resolve("open");
        Path slowJava = h.newDir("java").resolve("java");
        Files.writeString(slowJava, "#!/bin/sh\nwhile [ ! -e '" + gate + "' ]; do sleep 0.05; done\nexec '" + TestHome.java() + "' \"$@\"\n");
        Files.setPosixFilePermissions(slowJava, PosixFilePermissions.fromString("rwx------"));
        Path project = h.newProject("cold");
        RawFront f = h.rawFront(project, Map.of("HUDDLE_JAVA", slowJava.toString(), "CLAUDECODE", "1",
                "CLAUDE_CODE_SESSION_ID", CLAUDE_SESSION));

        Map<String, Object> init = f.initialize("claude-code");
        assertThat(Json.str(init, "result", "serverInfo", "name")).isEqualTo("huddle");
        assertThat(Json.str(init, "result", "instructions")).isEqualTo(Tools.INSTRUCTIONS);
        Map<String, Object> tools = f.request("tools/list", Map.of());
        List<String> names = Json.list(tools, "result", "tools").stream().map(t -> Json.str(t, "name")).toList();
        assertThat(names).containsExactlyElementsOf(Tools.ALL.stream().map(t -> t.name()).toList());
        assertThat(f.request("ping", null)).containsKey("result");
        // (the hub's process may exist already: it waits at the gate, before its JVM starts)
        assertThat(Files.exists(h.paths().mcpSocket())).as("the hub's socket while the agent initialized").isFalse();

        int call = f.sendToolCall("get_my_session", Map.of());
        Files.createFile(gate);
        Map<String, Object> me = RawFront.toolResult(f.awaitResponse(call, Duration.ofSeconds(30)));
        assertThat(me).containsEntry("ok", true).containsEntry("session_id", CLAUDE_SESSION).containsEntry("bound", true)
                .containsEntry("client_type", "claude-code");
        assertThat(h.hubProcesses()).hasSize(1);
        Map<String, Object> list = f.tool("list_project_sessions", Map.of());
        assertThat(Json.map(list, "sessions", 0)).containsEntry("is_me", true).containsEntry("online", true);
        FrontLifecycleIT.assertOnlyJsonRpc(f.stdoutLines());
        assertThat(f.stdoutLines()).as("one line per request, the hub's answer to the front's initialize swallowed").hasSize(5);
    }

    @Test
    void theLauncherStartsOneHubBesideManyColdFronts(TestHome h) throws Exception {
        // ./huddle mcp with no hub socket starts the hub before it execs the front's JVM; of several launchers at
        // once one starts it, the others (and every front) wait for that hub.
        Path project = h.newProject("early");
        List<RawFront> fronts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fronts.add(h.launcherFront(project, Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", java.util.UUID.randomUUID().toString())));
        }
        for (RawFront f : fronts) assertThat(Json.str(f.initialize("claude-code"), "result", "serverInfo", "name")).isEqualTo("huddle");
        for (RawFront f : fronts) {
            Map<String, Object> list = RawFront.toolResult(f.awaitResponse(f.sendToolCall("list_project_sessions", Map.of()),
                    Duration.ofSeconds(60)));
            assertThat(list).containsEntry("ok", true);
        }
        List<Long> hubs = h.hubProcesses();
        assertThat(hubs).hasSize(1);
        assertThat(TestHome.environOf(fronts.getFirst().frontPid())).as("the front knows the launcher's hub")
                .contains("\0HUDDLE_HUB_PID=" + hubs.getFirst() + "\0");
        assertThat(TestHome.environOf(hubs.getFirst())).doesNotContain("\0CLAUDECODE=").doesNotContain("\0HUDDLE_HUB_PID=");
        String log = Files.readString(h.paths().logDir().resolve("hub.stderr.log"));
        assertThat(log.split("huddle hub ready", -1)).as("hubs that became ready: " + log).hasSize(2);
        assertThat(h.home().resolve("hub-spawn.pid")).as("the hub forgets the launcher's mark once it accepts").doesNotExist();
        for (RawFront f : fronts) FrontLifecycleIT.assertOnlyJsonRpc(f.stdoutLines());
    }

    @Test
    void aMarkLeftByAHubThatIsGoneDoesNotStopTheNextStart(TestHome h) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(h.home());
        Files.writeString(h.home().resolve("hub-spawn.pid"), gone.pid() + "\n");
        RawFront f = h.launcherFront(h.newProject("stale"), Map.of("CLAUDECODE", "1"));
        f.initialize("claude-code");
        assertThat(f.tool("list_project_sessions", Map.of())).containsEntry("ok", true);
        assertThat(h.hubProcesses()).hasSize(1);
        assertThat(TestHome.environOf(f.frontPid())).contains("\0HUDDLE_HUB_PID=" + h.hubProcesses().getFirst() + "\0");
        assertThat(h.home().resolve("hub-spawn.pid")).doesNotExist();
    }

    @Test
    void aCallThatNoHubEverAnswersGetsAStructuredErrorInBoundedTime(TestHome h) throws Exception {
        Path broken = h.newDir("java").resolve("java");
        Files.writeString(broken, "#!/bin/sh\necho 'no java here' >&2\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        RawFront f = h.rawFront(h.newProject("nohub"), Map.of("HUDDLE_JAVA", broken.toString()));
        assertThat(Json.str(f.initialize("generic"), "result", "serverInfo", "name")).isEqualTo("huddle");
        long t0 = System.nanoTime();
        Map<String, Object> call = f.callTool("get_my_session", Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
        assertThat(Json.str(call, "error", "message")).contains("hub unavailable").contains("failed to start");
        assertThat(Json.str(call, "error", "data", "code")).isEqualTo("hub-unavailable");
        assertThat(Json.str(call, "error", "data", "hint")).contains("huddle doctor");
        FrontLifecycleIT.assertOnlyJsonRpc(f.stdoutLines());
    }
}
