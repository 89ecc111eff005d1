package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who is who, through real fronts on one shared hub (each test in its own project directory): several fronts of
 * one agent process are one agent; Claude Code binds from its environment, Codex from {@code _meta.threadId};
 * identity is monotonic; an explicit claim overrides automatic binding but cannot take a live agent's session;
 * names are unique per project unless the holder is offline; projects follow git repositories (worktrees
 * included, nested repositories excluded); an agent whose process ends goes offline within seconds.
 */
@HubTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdentityIT {
    private static final Duration OFFLINE_WITHIN = Duration.ofSeconds(5);
    private static TestHome home;

    @BeforeAll
    static void startHub() {
        home.startHub();
    }

    private static SimulatedAgent claude(Path cwd, String sessionId) {
        return home.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sessionId));
    }

    private static SimulatedAgent codex(Path cwd) {
        return home.agent(cwd, "codex-mcp-client", Map.of("CODEX_HOME", "/nonexistent/codex"));
    }

    private static SimulatedAgent generic(Path cwd) {
        return home.agent(cwd, "generic-client", Map.of());
    }

    private static Map<String, Object> session(Map<String, Object> list, String handle) {
        return Json.list(list, "sessions").stream().map(s -> Json.map(s))
                .filter(s -> handle.equals(s.get("handle"))).findFirst()
                .orElseThrow(() -> new AssertionError("no session " + handle + " in " + list));
    }

    private static String errorCode(Map<String, Object> result) {
        assertThat(result).containsEntry("ok", false);
        return Json.str(result, "error", "code");
    }

    @Test
    void twoFrontsOfOneAgentProcessAreOneAgent() {
        Path cwd = home.newDir("two");
        // Both fronts are children of this test JVM: one agent process, two MCP servers (as with two config scopes).
        RawFront first = home.directFront(cwd, Map.of());
        RawFront second = home.directFront(cwd, Map.of());
        first.initialize("generic-client");
        second.initialize("generic-client");
        Map<String, Object> a = first.tool("get_my_session", Map.of());
        Map<String, Object> b = second.tool("get_my_session", Map.of());
        assertThat(b.get("handle")).isEqualTo(a.get("handle"));
        assertThat(a).containsEntry("connected_fronts", 2);
        assertThat(((Number) Json.at(a, "agent_process", "pid")).longValue()).isEqualTo(ProcessHandle.current().pid());
        assertThat(first.tool("set_my_state", Map.of("name", "twin"))).containsEntry("ok", true);
        assertThat(second.tool("get_my_session", Map.of())).containsEntry("name", "twin");
        assertThat(second.tool("list_project_sessions", Map.of())).containsEntry("count", 1);

        TestHome.Result ps = home.cli(cwd, "ps", "--json");
        assertThat(Json.list(ps.json(), "projects", 0, "agents")).hasSize(1);
        assertThat(Json.map(ps.json(), "projects", 0, "agents", 0)).containsEntry("fronts", 2).containsEntry("name", "twin");

        second.close();
        await().atMost(OFFLINE_WITHIN).untilAsserted(() ->
                assertThat(first.tool("get_my_session", Map.of())).containsEntry("connected_fronts", 1));
    }

    @Test
    void claudeCodeBindsFromItsEnvironment() {
        String sid = "11111111-2222-4333-8444-555555555555";
        SimulatedAgent a = claude(home.newDir("cc"), sid);
        Map<String, Object> me = a.call("get_my_session", Map.of());
        assertThat(me).containsEntry("bound", true).containsEntry("session_id", sid)
                .containsEntry("client_type", "claude-code").containsEntry("handle", sid.substring(0, 8))
                .doesNotContainKey("next_step");
        assertThat(Json.str(me, "binding", "source")).isEqualTo("env");
    }

    @Test
    void codexBindsFromMetaThreadIdAndStaysBound() {
        SimulatedAgent a = codex(home.newDir("cx"));
        Map<String, Object> unbound = a.call("get_my_session", Map.of());
        assertThat(unbound).containsEntry("bound", false).containsEntry("client_type", "codex");
        assertThat(Json.str(unbound, "handle")).startsWith("p-");
        assertThat(Json.str(unbound, "next_step", "tool")).isEqualTo("claim_session");
        assertThat(a.call("set_my_state", Map.of("name", "cx-early"))).containsEntry("ok", true);

        Map<String, Object> bound = a.call("get_my_session", Map.of(), Map.of("threadId", "thread-aaaa-0001"));
        assertThat(bound).containsEntry("bound", true).containsEntry("session_id", "thread-aaaa-0001")
                .containsEntry("name", "cx-early"); // what it set while unbound carries over
        assertThat(Json.str(bound, "binding", "source")).isEqualTo("codex_meta");

        // Monotonic: another thread id does not move a bound agent, and neither does a call without one.
        assertThat(a.call("get_my_session", Map.of(), Map.of("threadId", "thread-bbbb-0002"))).containsEntry("session_id", "thread-aaaa-0001");
        assertThat(a.call("get_my_session", Map.of())).containsEntry("session_id", "thread-aaaa-0001");
        assertThat(a.call("list_project_sessions", Map.of())).containsEntry("count", 1).containsEntry("me", "thread-aaaa-0001");
    }

    @Test
    void anExplicitClaimOverridesAutomaticBinding() {
        Path cwd = home.newDir("claim");
        SimulatedAgent cc = claude(cwd, "22222222-2222-4333-8444-555555555555");
        Map<String, Object> claimed = cc.call("claim_session", Map.of("session_id", "33333333-2222-4333-8444-555555555555"));
        assertThat(claimed).containsEntry("ok", true).containsEntry("session_id", "33333333-2222-4333-8444-555555555555")
                .containsEntry("previous_session_id", "22222222-2222-4333-8444-555555555555").containsEntry("binding", "claim");
        Map<String, Object> me = cc.call("get_my_session", Map.of());
        assertThat(me).containsEntry("session_id", "33333333-2222-4333-8444-555555555555");
        assertThat(Json.str(me, "binding", "source")).isEqualTo("claim");

        SimulatedAgent cx = codex(cwd);
        assertThat(cx.call("get_my_session", Map.of(), Map.of("threadId", "thread-claim-1"))).containsEntry("session_id", "thread-claim-1");
        assertThat(cx.call("register_my_session", Map.of("session_id", "my-own-id.1"))).containsEntry("ok", true);
        assertThat(cx.call("get_my_session", Map.of(), Map.of("threadId", "thread-claim-2")))
                .as("a later threadId does not undo a claim").containsEntry("session_id", "my-own-id.1");

        SimulatedAgent g = generic(cwd);
        assertThat(g.call("get_my_session", Map.of())).containsEntry("bound", false);
        assertThat(g.call("claim_session", Map.of("session_id", "generic-session-9"))).containsEntry("ok", true);
        assertThat(g.call("get_my_session", Map.of())).containsEntry("bound", true).containsEntry("session_id", "generic-session-9");
        assertThat(errorCode(g.call("claim_session", Map.of("session_id", "p-0000")))).isEqualTo("invalid-argument");
        assertThat(errorCode(g.call("claim_session", Map.of("session_id", "has spaces")))).isEqualTo("invalid-argument");
    }

    @Test
    void claimingTheSessionOfAnotherLiveAgentIsRefused() {
        Path cwd = home.newDir("inuse");
        String sid = "44444444-2222-4333-8444-555555555555";
        SimulatedAgent owner = claude(cwd, sid);
        assertThat(owner.call("get_my_session", Map.of())).containsEntry("session_id", sid);
        SimulatedAgent thief = generic(cwd);
        Map<String, Object> before = thief.call("get_my_session", Map.of());
        assertThat(errorCode(thief.call("claim_session", Map.of("session_id", sid)))).isEqualTo("session-in-use");
        assertThat(thief.call("get_my_session", Map.of())).containsEntry("handle", before.get("handle")).containsEntry("bound", false);
        assertThat(owner.call("get_my_session", Map.of())).containsEntry("session_id", sid);

        // Once the owner's process has ended the session may be claimed (a resumed session in a new process).
        owner.close();
        await().atMost(OFFLINE_WITHIN).untilAsserted(() ->
                assertThat(session(thief.call("list_project_sessions", Map.of()), sid.substring(0, 8))).containsEntry("online", false));
        assertThat(thief.call("claim_session", Map.of("session_id", sid))).containsEntry("ok", true);
        assertThat(thief.call("get_my_session", Map.of())).containsEntry("session_id", sid);
    }

    @Test
    void namesAreUniqueInAProjectUnlessTheHolderIsOffline() {
        Path cwd = home.newDir("names");
        SimulatedAgent alice = generic(cwd);
        SimulatedAgent other = generic(cwd);
        assertThat(alice.call("set_my_state", Map.of("name", "alice", "purpose", "first"))).containsEntry("ok", true);
        String aliceHandle = Json.str(alice.call("get_my_session", Map.of()), "handle");
        assertThat(errorCode(other.call("set_my_state", Map.of("name", "alice")))).isEqualTo("name-taken");
        assertThat(other.call("get_my_session", Map.of())).doesNotContainKey("name");
        // The same name in another project is fine.
        assertThat(generic(home.newDir("names2")).call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);

        alice.close();
        await().atMost(OFFLINE_WITHIN).untilAsserted(() ->
                assertThat(session(other.call("list_project_sessions", Map.of()), aliceHandle)).containsEntry("online", false));
        Map<String, Object> took = other.call("set_my_state", Map.of("name", "alice"));
        assertThat(took).containsEntry("ok", true).containsEntry("took_name_from", aliceHandle);
        Map<String, Object> list = other.call("list_project_sessions", Map.of());
        assertThat(session(list, aliceHandle)).doesNotContainKey("name").containsEntry("purpose", "first");
        assertThat(session(list, Json.str(other.call("get_my_session", Map.of()), "handle"))).containsEntry("name", "alice");
    }

    @Test
    void projectsFollowGitRepositories() throws Exception {
        Path base = home.newDir("proj");
        Path repo = base.resolve("repo");
        Files.createDirectories(repo.resolve("src/deep"));
        home.initGitRepository(repo);
        Path worktree = base.resolve("wt");
        home.git(repo, "worktree", "add", "-q", worktree.toString());
        Path nested = repo.resolve("vendor/lib");
        Files.createDirectories(nested);
        home.git(nested, "init", "-q");
        Path plain = base.resolve("plain/dir");
        Files.createDirectories(plain);

        SimulatedAgent inRepo = generic(repo.resolve("src/deep"));
        SimulatedAgent inWorktree = generic(worktree);
        SimulatedAgent inNested = generic(nested);
        SimulatedAgent inPlain = generic(plain);
        SimulatedAgent inPlainParent = generic(plain.getParent());

        assertThat(inRepo.call("list_project_sessions", Map.of())).containsEntry("project_root", repo.toString()).containsEntry("count", 2);
        Map<String, Object> wtList = inWorktree.call("list_project_sessions", Map.of());
        assertThat(wtList).as("a worktree is the same project").containsEntry("project_root", repo.toString()).containsEntry("count", 2);
        List<String> cwds = Json.list(wtList, "sessions").stream().map(s -> Json.str(s, "cwd")).toList();
        assertThat(cwds).containsExactlyInAnyOrder(repo.resolve("src/deep").toString(), worktree.toString());

        assertThat(inNested.call("list_project_sessions", Map.of())).as("a nested independent repository is its own project")
                .containsEntry("project_root", nested.toString()).containsEntry("count", 1);
        assertThat(inPlain.call("list_project_sessions", Map.of())).as("outside git the directory is the project")
                .containsEntry("project_root", plain.toString()).containsEntry("count", 1);
        assertThat(inPlainParent.call("list_project_sessions", Map.of()))
                .containsEntry("project_root", plain.getParent().toString()).containsEntry("count", 1);

        // Another project is refused, not silently listed; a directory inside one's own project is fine.
        assertThat(errorCode(inNested.call("list_project_sessions", Map.of("project_root", repo.toString())))).isEqualTo("cross-project");
        assertThat(inWorktree.call("list_project_sessions", Map.of("project_root", repo.resolve("src").toString())))
                .containsEntry("count", 2).containsEntry("inferred", false);
    }

    @Test
    void anAgentWhoseProcessEndsGoesOfflineWithinSeconds() {
        Path cwd = home.newDir("live");
        SimulatedAgent watcher = generic(cwd);
        SimulatedAgent leaving = generic(cwd);
        String leavingHandle = Json.str(leaving.call("get_my_session", Map.of()), "handle");
        RawFront killed = home.rawFront(cwd, Map.of());
        killed.initialize("generic-client");
        String killedHandle = Json.str(killed.tool("get_my_session", Map.of()), "handle");
        // An agent that ends its MCP server but keeps running for a while (its process is the truth, not the front).
        RawFront lingering = home.rawFront(cwd, Map.of(), "sleep 2; exit 0");
        lingering.initialize("generic-client");
        String lingeringHandle = Json.str(lingering.tool("get_my_session", Map.of()), "handle");
        Map<String, Object> all = watcher.call("list_project_sessions", Map.of());
        assertThat(all).containsEntry("count", 4);
        for (String h : List.of(leavingHandle, killedHandle, lingeringHandle)) assertThat(session(all, h)).containsEntry("online", true);

        long lingeringFront = lingering.frontPid();
        lingering.closeStdin();
        TestHome.awaitGone(lingeringFront, OFFLINE_WITHIN);
        assertThat(lingering.process().isAlive()).as("the lingering agent process").isTrue();
        assertThat(session(watcher.call("list_project_sessions", Map.of()), lingeringHandle))
                .as("online while its process runs, front or not").containsEntry("online", true);

        leaving.close(); // the agent closes its MCP server and exits
        TestHome.kill9(killed.agentPid()); // the agent process is killed; its front follows
        await().atMost(OFFLINE_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, Object> l = watcher.call("list_project_sessions", Map.of());
            assertThat(session(l, leavingHandle)).containsEntry("online", false);
            assertThat(session(l, killedHandle)).containsEntry("online", false);
            assertThat(session(l, lingeringHandle)).containsEntry("online", false);
        });
        assertThat(lingering.process().isAlive()).isFalse();
        Map<String, Object> onlineOnly = watcher.call("list_project_sessions", Map.of("include_offline", false));
        assertThat(onlineOnly).containsEntry("count", 1);
        assertThat(Json.at(onlineOnly, "sessions", 0, "is_me")).isEqualTo(true);
    }
}
