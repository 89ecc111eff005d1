package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code huddle send} and {@code huddle log} as a user runs them (a CLI JVM per command) against agents behind real
 * fronts: operator messages (origin operator, no reply target), broadcast, stdin, refusals and their exit codes,
 * the log as JSON lines, full-text search, and {@code --follow} printing a message committed after it started.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CliMessagingIT {
    private static TestHome home;
    @Project
    private static Path repo;
    @Project("other")
    private static Path otherRepo;
    private static SimulatedAgent bob;
    private static SimulatedAgent carol;
    private static SimulatedAgent dave;
    private static String bobSession;
    private static String daveSession;

    @BeforeAll
    static void start() {
        // bob and dave share the first 9 characters of their session ids: "abcdef12-" is an ambiguous prefix.
        String shared = "abcdef12-" + UUID.randomUUID().toString().substring(9, 13);
        bobSession = shared + "-4000-8000-000000000001";
        daveSession = shared + "-4000-8000-000000000002";
        bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", bobSession));
        dave = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", daveSession));
        carol = home.agent(repo, "codex-mcp-client", Map.of("CODEX_HOME", "/tmp"));
        carol.call("get_my_session", Map.of(), Map.of("threadId", UUID.randomUUID().toString()));
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
        assertThat(carol.call("set_my_state", Map.of("name", "carol"))).containsEntry("ok", true);
        assertThat(dave.call("set_my_state", Map.of("name", "dave"))).containsEntry("ok", true);
    }

    @BeforeEach
    void emptyInboxes() {
        for (SimulatedAgent a : new SimulatedAgent[]{bob, carol, dave}) drain(a);
    }

    private static void drain(SimulatedAgent a) {
        while (((Number) a.call("read_my_messages", Map.of()).get("count")).intValue() > 0) { /* empty the inbox */ }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> read) {
        assertThat(read).containsEntry("ok", true);
        return (List<Map<String, Object>>) read.get("messages");
    }

    private static TestHome.Result huddle(String... args) {
        return home.cli(repo, args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sendByNameArrivesAsAnOperatorMessageWithNoReplyTarget() {
        TestHome.Result r = huddle("send", "bob", "please", "rebase on main");
        assertThat(r.exit()).as("%s", r).isZero();
        String line = r.stdout().strip();
        assertThat(line).as("%s", r).matches("[0-9a-f]{16}  → bob \\(abcdef12\\)  online");
        String id = line.substring(0, 16);

        List<Map<String, Object>> got = messages(bob.call("read_my_messages", Map.of()));
        assertThat(got).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("id", id).containsEntry("origin", "operator").containsEntry("body", "please rebase on main")
                .doesNotContainKey("from").doesNotContainKey("request_id").doesNotContainKey("reply_to"));
        Map<String, Object> reply = bob.call("reply_to_message", Map.of("message_id", id, "body", "ok"));
        assertThat(reply).containsEntry("ok", false);
        assertThat((Map<String, Object>) reply.get("error")).containsEntry("code", "no-reply-target");

        // --json: the hub's result
        TestHome.Result j = huddle("send", "--json", "carol", "json please");
        assertThat(j.exit()).as("%s", j).isZero();
        Map<String, Object> result = j.json();
        assertThat(result).containsEntry("project_root", repo.toString()).containsEntry("count", 1);
        Map<String, Object> sent = Json.map(result, "messages", 0);
        assertThat(sent).containsEntry("target_name", "carol").containsEntry("target_online", true);
        assertThat(messages(carol.call("read_my_messages", Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("id", sent.get("message_id")).containsEntry("origin", "operator"));
    }

    /**
     * An agent answers right after reading, before the receipt of its read is committed (that happens just after the
     * response is written): the hub must judge the message as delivered then. Operator messages, sent straight on the
     * control socket to go fast, must always give no-reply-target, never message-not-delivered.
     */
    @Test
    @SuppressWarnings("unchecked")
    void answeringAtOnceAfterReadingSeesTheMessageDelivered() {
        for (int i = 0; i < 60; i++) {
            Map<String, Object> hello = dev.huddle.it.support.RawHubSocket.hello("control");
            hello.put("op", "send");
            hello.put("cwd", repo.toString());
            hello.put("args", Map.of("target", "bob", "body", "quick " + i, "all", false));
            try (var s = dev.huddle.it.support.RawHubSocket.connect(home.paths().mcpSocket())) {
                s.sendLine(Json.write(hello));
                assertThat(s.readJson(Duration.ofSeconds(10))).containsEntry("ok", true);
            }
            List<Map<String, Object>> got = messages(bob.call("read_my_messages", Map.of()));
            assertThat(got).hasSize(1);
            Map<String, Object> reply = bob.call("reply_to_message", Map.of("message_id", got.getFirst().get("id"), "body", "ok"));
            assertThat((Map<String, Object>) reply.get("error")).as("attempt %d: %s", i, reply).containsEntry("code", "no-reply-target");
        }
    }

    @Test
    void sendAllReachesEveryOnlineAgentOfTheProject() {
        TestHome.Result r = huddle("send", "--all", "standup", "in", "five");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.stdout().strip().lines()).as("%s", r).hasSize(3)
                .anyMatch(l -> l.contains("→ bob (abcdef12)")).anyMatch(l -> l.contains("→ carol (")).anyMatch(l -> l.contains("→ dave (abcdef12)"))
                .allMatch(l -> l.endsWith("online"));
        for (SimulatedAgent a : new SimulatedAgent[]{bob, carol, dave}) {
            assertThat(messages(a.call("read_my_messages", Map.of()))).singleElement()
                    .satisfies(m -> assertThat(m).containsEntry("body", "standup in five").containsEntry("origin", "operator"));
        }
        // nobody online in another project: nothing sent, exit 1
        TestHome.Result none = huddle("send", "--all", "--project", otherRepo.toString(), "anyone?");
        assertThat(none.exit()).as("%s", none).isEqualTo(1);
        assertThat(none.stderr()).contains("nothing was sent");
    }

    @Test
    void textFromStdin() throws Exception {
        Process p = home.spawnCli(repo, "send", "carol", "-");
        try (OutputStream in = p.getOutputStream()) {
            in.write("first line\nsecond line: é ✓\n".getBytes(StandardCharsets.UTF_8));
        }
        TestHome.Result r = TestHome.finish(p, TestHome.CLI_TIMEOUT, "huddle send carol -");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(messages(carol.call("read_my_messages", Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("body", "first line\nsecond line: é ✓"));

        Process bad = home.spawnCli(repo, "send", "carol", "-");
        try (OutputStream in = bad.getOutputStream()) {
            in.write(new byte[]{'o', 'k', (byte) 0xC3, 0x28});
        }
        TestHome.Result br = TestHome.finish(bad, TestHome.CLI_TIMEOUT, "huddle send carol - (invalid UTF-8)");
        assertThat(br.exit()).as("%s", br).isEqualTo(1);
        assertThat(br.stderr()).contains("invalid-argument", "not valid UTF-8");
        assertThat(messages(carol.call("read_my_messages", Map.of()))).isEmpty();
    }

    @Test
    void refusalsExitOneAndUsageErrorsExitTwo() {
        TestHome.Result notFound = huddle("send", "nobody-here", "hi");
        assertThat(notFound.exit()).as("%s", notFound).isEqualTo(1);
        assertThat(notFound.stderr()).contains("target-not-found", "nobody-here");

        TestHome.Result ambiguous = huddle("send", "abcdef12", "which one?");
        assertThat(ambiguous.exit()).as("%s", ambiguous).isEqualTo(1);
        assertThat(ambiguous.stderr()).contains("ambiguous-target", "bob", "dave"); // the candidates

        TestHome.Result tooLarge = huddle("send", "bob", "x".repeat(8193));
        assertThat(tooLarge.exit()).as("%s", tooLarge).isEqualTo(1);
        assertThat(tooLarge.stderr()).contains("body-too-large");

        TestHome.Result crossProject = huddle("send", "--project", otherRepo.toString(), "bob", "hi");
        assertThat(crossProject.exit()).as("%s", crossProject).isEqualTo(1);
        assertThat(crossProject.stderr()).contains("cross-project");

        TestHome.Result json = huddle("send", "--json", "nobody-here", "hi");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.json()).containsEntry("ok", false).containsEntry("error", "target-not-found");

        assertThat(huddle("send").exit()).isEqualTo(2);
        assertThat(huddle("send", "bob").exit()).isEqualTo(2);
        assertThat(huddle("send", "--no-such-option", "bob", "hi").exit()).isEqualTo(2);
        assertThat(huddle("log", "-n", "0").exit()).isEqualTo(2);

        // nothing of the refused sends reached anyone
        for (SimulatedAgent a : new SimulatedAgent[]{bob, carol, dave}) assertThat(messages(a.call("read_my_messages", Map.of()))).isEmpty();
    }

    @Test
    void logListsTheProjectsMessagesAndGrepFindsByWord() {
        assertThat(huddle("send", "bob", "the zebra crossing is ready for review").exit()).isZero();
        assertThat(huddle("send", "carol", "an unrelated note about giraffes").exit()).isZero();
        messages(bob.call("read_my_messages", Map.of())); // delivered (via tool); carol's stays pending

        TestHome.Result log = huddle("log", "--json", "-n", "1000");
        assertThat(log.exit()).as("%s", log).isZero();
        List<Map<String, Object>> rows = log.stdout().strip().lines().map(Json::object).toList();
        assertThat(rows).allSatisfy(row -> assertThat(row).containsEntry("project_root", repo.toString()).containsKeys("seq", "id", "at", "from", "to", "body"));
        assertThat(rows).extracting(row -> ((Number) row.get("seq")).longValue()).isSorted();
        Map<String, Object> zebra = rows.stream().filter(row -> row.get("body").toString().contains("zebra")).findFirst().orElseThrow();
        assertThat(zebra).containsEntry("from", "operator").containsEntry("to", "bob (abcdef12)");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                huddle("log", "--json", "--grep", "zebra").stdout().strip().lines().map(Json::object).toList())
                .singleElement().satisfies(row -> assertThat(row).containsEntry("id", zebra.get("id")).containsEntry("delivered", "tool")));
        Map<String, Object> giraffes = rows.stream().filter(row -> row.get("body").toString().contains("giraffes")).findFirst().orElseThrow();
        assertThat(giraffes.get("delivered")).isNull();

        TestHome.Result human = huddle("log", "--grep", "giraffes");
        assertThat(human.exit()).as("%s", human).isZero();
        assertThat(human.stdout().strip()).as("%s", human)
                .matches("(\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d  operator → carol \\(\\S+\\)  \\[pending\\]  an unrelated note about giraffes");
        TestHome.Result nothing = huddle("log", "--grep", "okapi");
        assertThat(nothing.exit()).isZero();
        assertThat(nothing.stdout()).contains("no message in " + repo + " matches \"okapi\"");
        TestHome.Result other = huddle("log", "--json", "--project", otherRepo.toString());
        assertThat(other.exit()).isZero();
        assertThat(other.stdout()).isBlank();
    }

    @Test
    void followPrintsMessagesCommittedAfterItStarted() throws Exception {
        assertThat(huddle("send", "dave", "before following").exit()).isZero();
        Process follow = home.spawnCli(repo, "log", "--follow", "--json", "-n", "1");
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (java.io.IOException ended) {
                // the process was destroyed
            }
        });
        try {
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertThat(first).as("the last message, printed first").isNotNull();
            assertThat(Json.object(first)).containsEntry("body", "before following");
            // the follower now waits in the hub for news
            long t0 = System.nanoTime();
            assertThat(huddle("send", "dave", "after following started").exit()).isZero();
            String next = lines.poll(20, TimeUnit.SECONDS);
            assertThat(next).as("a message sent while following").isNotNull();
            assertThat(Json.object(next)).containsEntry("body", "after following started").containsEntry("from", "operator");
            System.out.printf("follow printed the new message %d ms after the send started%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(follow.isAlive()).isTrue();
        } finally {
            follow.descendants().forEach(ProcessHandle::destroyForcibly);
            follow.destroyForcibly();
            follow.waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
        }
        assertThat(lines).isEmpty(); // nothing printed twice
    }
}
