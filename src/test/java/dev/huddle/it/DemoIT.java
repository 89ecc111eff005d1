package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code huddle demo} end to end, as a user runs it: its own private hub, four simulated agents that find and
 * message each other (ask and reply, an obligation, a broadcast, the human's message, the log), and nothing left
 * behind afterwards (no hub process for the demo's home, no temporary directories).
 */
@Timeout(300)
class DemoIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern HOME_LINE = Pattern.compile("HUDDLE_HOME\\s+(/\\S+)");

    private Path scratchHome;
    private Map<String, String> env;
    private Path demoHome;
    private Path demoRoot;

    @BeforeEach
    void setUp() throws IOException {
        scratchHome = Files.createTempDirectory(Path.of("/tmp"), "hdemo-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // Built from scratch: no CLAUDECODE / CODEX_* / GEMINI_* / TMUX* of a surrounding session.
        env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", scratchHome.toString());
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", "/tmp");
        env.put("HUDDLE_AOT", "off");
        env.put("NO_COLOR", "1");
    }

    @AfterEach
    void tearDown() {
        try {
            if (demoHome != null) {
                List<String> killed = ItProcesses.killProcessesUsing(demoHome);
                if (!killed.isEmpty()) System.err.println("DemoIT: killed leftovers " + killed);
            }
        } finally {
            ItProcesses.deleteRecursively(demoHome);
            ItProcesses.deleteRecursively(demoRoot);
            ItProcesses.deleteRecursively(scratchHome);
        }
    }

    @Test
    void demoRunsTheScenarioAndLeavesNothingBehind() throws Exception {
        ItProcesses.Result r = ItProcesses.huddle(env, scratchHome, TIMEOUT, "demo");
        Matcher m = HOME_LINE.matcher(r.output());
        if (m.find()) demoHome = Path.of(m.group(1));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(demoHome).as("the demo prints its HUDDLE_HOME%n%s", r).isNotNull();
        assertThat(r.output())
                .as("%s", r)
                .contains("claude-code", "codex-mcp-client", "gemini-cli-mcp-client")
                .contains("binding env", "binding codex_meta", "binding claim")
                .contains("refused: name-taken")
                .contains("refused: cross-project")
                .contains("HANDLE", "\n       me  ")
                .contains("hub stopped")
                // messaging: ask and reply, obligation, broadcast, the human's message, the log
                .containsPattern("ask_peer returned after \\d+ ms")
                .contains("reply_to_message", "(correlated)", "delivered via ask_reply")
                .contains("complete_work", "already_closed")
                .contains("send_message(target=\"*\") → 2 messages")
                .contains("origin operator", "refused: no-reply-target")
                .contains("$ huddle log", "[? via tool]", "[↩ via ask_reply]", "[work done via tool]", "operator → tester")
                .containsPattern("\\n1\\. .* done in \\d+ ms")
                .containsPattern("Demo passed in [0-9.]+ s: .*ask answered in \\d+ ms, obligation closed once, broadcast to 2 agents, a message delivered by hook, an edit of a claimed file refused and resolved with ask_peer, an idle agent in tmux woken and answering in \\d+ ms, 12 messages in the log")
                .contains("permissionDecision deny", "PreToolUse hook allows it")
                .contains("wake via tmux: fired", "reply_to_message → sent")
                .doesNotContain("\u001b[")   // NO_COLOR
                .doesNotContain("FAILED");
        assertThat(demoHome).doesNotExist();
        assertThat(ItProcesses.processesUsing(demoHome)).as("processes left for %s", demoHome).isEmpty();
    }

    @Test
    void jsonTranscriptAndKeep() throws Exception {
        ItProcesses.Result r = ItProcesses.huddle(env, scratchHome, TIMEOUT, "demo", "--json", "--keep");
        JsonNode doc = JsonMapper.shared().readTree(r.output().substring(r.output().indexOf('{')));
        demoHome = Path.of(doc.path("huddle_home").asString());
        demoRoot = Path.of(doc.path("project").asString()).getParent();
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(doc.path("ok").asBoolean()).isTrue();
        assertThat(doc.path("kept").asBoolean()).isTrue();
        JsonNode steps = doc.path("steps");
        assertThat(steps.size()).isGreaterThanOrEqualTo(16);
        for (JsonNode step : steps) assertThat(step.path("ok").asBoolean()).as("%s", step).isTrue();
        JsonNode bind = steps.get(3).path("results");
        assertThat(bind.path("claude").path("binding").path("source").asString()).isEqualTo("env");
        assertThat(bind.path("codex").path("binding").path("source").asString()).isEqualTo("codex_meta");
        assertThat(bind.path("gemini").path("binding").path("source").asString()).isEqualTo("claim");
        assertThat(steps.get(4).path("results").path("conflict").path("error").path("code").asString()).isEqualTo("name-taken");
        JsonNode ask = steps.get(8).path("results");
        assertThat(ask.path("ask").path("timed_out").asBoolean(true)).as("%s", ask).isFalse();
        assertThat(ask.path("ask").path("reply").path("id").asString()).isEqualTo(ask.path("reply").path("message_id").asString());
        assertThat(ask.path("reply_status").path("via").asString()).isEqualTo("ask_reply");
        JsonNode work = steps.get(9).path("results");
        assertThat(work.path("complete").path("obligation_state").asString()).isEqualTo("done");
        assertThat(work.path("complete_again").path("already_closed").asBoolean()).isTrue();
        assertThat(work.path("complete_again").path("outcome_message_id").asString())
                .isEqualTo(work.path("complete").path("outcome_message_id").asString());
        assertThat(steps.get(10).path("results").path("broadcast").path("count").asInt()).isEqualTo(2);
        JsonNode operator = steps.get(11).path("results");
        assertThat(operator.path("read").path("messages").get(0).path("origin").asString()).isEqualTo("operator");
        assertThat(operator.path("reply").path("error").path("code").asString()).isEqualTo("no-reply-target");
        assertThat(steps.get(12).path("results").path("delivered_via").asString()).isEqualTo("hook");
        JsonNode claim = steps.get(13).path("results");
        assertThat(claim.path("denied").path("hookSpecificOutput").path("permissionDecision").asString()).as("%s", claim).isEqualTo("deny");
        assertThat(claim.path("denied").path("hookSpecificOutput").path("permissionDecisionReason").asString())
                .contains("src/parser.ts", "builder", "renaming Parser.parse to Parser.read", "ask_peer (target: builder)");
        assertThat(claim.path("ask").path("reply").path("body").asString()).startsWith("Done with it");
        // tmux is installed wherever the tests run (.ci/run installs it): the idle agent in a pane is woken for real.
        JsonNode woken = steps.get(14).path("results");
        assertThat(woken.path("wake").path("route").asString()).as("%s", woken).isEqualTo("tmux");
        assertThat(woken.path("wake").path("status").asString()).as("%s", woken).isEqualTo("fired");
        assertThat(woken.path("ask").path("reply").path("body").asString()).startsWith("Yes: last night's build passed");
        assertThat(steps.get(15).path("results").path("log").path("messages").size()).isEqualTo(12);

        // --keep: the hub still runs for the demo's home, and the printed way to inspect it works.
        long hubPid = steps.get(1).path("results").path("hub_pid").asLong();
        assertThat(ProcessHandle.of(hubPid).map(ProcessHandle::isAlive)).contains(true);
        Map<String, String> inspect = new LinkedHashMap<>(env);
        inspect.put("HUDDLE_HOME", demoHome.toString());
        ItProcesses.Result ps = ItProcesses.huddle(inspect, demoRoot, TIMEOUT, "ps", "--all", "--json");
        assertThat(ps.exitCode()).as("%s", ps).isZero();
        assertThat(JsonMapper.shared().readTree(ps.output()).path("count").asInt()).as("%s", ps).isEqualTo(5);
        ItProcesses.Result table = ItProcesses.huddle(inspect, demoRoot, TIMEOUT, "ps", "--all");
        assertThat(table.output()).as("%s", table).contains("HANDLE", "reviewer", "builder", "tester", "offline");
        ItProcesses.Result log = ItProcesses.huddle(inspect, demoRoot.resolve("app"), TIMEOUT, "log", "--json");
        assertThat(log.exitCode()).as("%s", log).isZero();
        assertThat(log.output().strip().lines().map(l -> JsonMapper.shared().readTree(l).path("body").asString()))
                .as("%s", log).hasSize(12).contains("Please stop after this test: we release at five.");
        ItProcesses.Result stop = ItProcesses.huddle(inspect, demoRoot, TIMEOUT, "hub", "stop");
        assertThat(stop.exitCode()).as("%s", stop).isZero();
    }
}
