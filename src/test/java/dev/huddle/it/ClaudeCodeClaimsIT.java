package dev.huddle.it;

import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookSpec;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RealClaude;
import dev.huddle.it.support.ScriptedModel;
import dev.huddle.it.support.ScriptedModel.Reply;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Claude Code CLI (2.1.329), offline against a {@link ScriptedModel}, with huddle's hooks installed as
 * {@code huddle setup} writes them: another session (alice, a real front) holds {@code src/a.txt} exclusively; the
 * scripted model of a real {@code claude -p} session reads the file and then tries to {@code Edit} it. The
 * {@code PreToolUse} hook refuses the call, the file is unchanged, and the refusal's reason (holder, claim, how to
 * ask) reaches the model: the scripted endpoint sees it in the tool_result of its next request.
 *
 * <p>Skipped when the client is not installed, except under CI ({@code CI=true}), where it must run.
 */
class ClaudeCodeClaimsIT {
    private static final Duration CLAUDE_TIMEOUT = Duration.ofSeconds(120);

    private final TestHomes homes = new TestHomes();
    private final List<Process> claudes = new ArrayList<>();
    private final List<ScriptedModel> models = new ArrayList<>();
    private Path claude;
    private TestHome hub;
    private Path userHome;
    private Path repo;

    @BeforeEach
    void setUp() throws Exception {
        claude = RealClaude.binary();
        hub = homes.create();
        userHome = hub.newDir("cch");
        repo = hub.newDir("ccrepo");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/a.txt"), "alpha\n");
        RealClaude.git(repo, userHome, "init", "-q");
        RealClaude.git(repo, userHome, "add", "src/a.txt");
        RealClaude.git(repo, userHome, "commit", "-q", "-m", "init");
        hub.startHub();
        installHooks();
    }

    @AfterEach
    void tearDown() {
        try {
            for (Process p : claudes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            models.forEach(ScriptedModel::close);
        } finally {
            homes.close();
        }
    }

    @Test
    void anEditOfAFileAnotherSessionHoldsIsRefusedAndTheReasonReachesTheModel() throws Exception {
        String aliceSid = UUID.randomUUID().toString();
        SimulatedAgent alice = hub.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSid));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/a.txt"), "reason", "rewriting the parser"))).containsEntry("ok", true);

        String file = repo.resolve("src/a.txt").toString();
        ScriptedModel model = ScriptedModel.start(r -> {
            String last = r.lastToolUse();
            if (last == null) return Reply.tool("Read", Map.of("file_path", file));
            if (last.equals("Read")) return Reply.tool("Edit", Map.of("file_path", file, "old_string", "alpha", "new_string", "beta"));
            return Reply.text("I will ask alice first.");
        });
        models.add(model);
        String bobSid = UUID.randomUUID().toString();
        List<String> cmd = new ArrayList<>(List.of(claude.toString(), "-p", "Change alpha to beta in src/a.txt.", "--output-format", "json",
                "--session-id", bobSid, "--allowedTools", "Read", "Edit"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(claudeEnv(model));
        Process bob = pb.start();
        claudes.add(bob);
        TestHome.Result done = TestHome.finish(bob, CLAUDE_TIMEOUT, "bob's claude -p");
        String context = "%n%s%n%s%s".formatted(done, model.describe(), RealClaude.hubLog(hub));
        assertThat(done.exit()).as("bob's claude -p" + context).isZero();
        assertThat(model.scriptFailures()).as("the script" + context).isEmpty();

        ScriptedModel.Request afterEdit = model.mainRequests().stream().filter(r -> "Edit".equals(r.lastToolUse())).findFirst()
                .orElseThrow(() -> new AssertionError("no request after the Edit call" + context));
        List<Object> messages = afterEdit.messages();
        System.err.println("ClaudeCodeClaimsIT: the last message of the request after Edit:\n" + Json.write(messages.getLast()));
        assertThat(Json.write(messages.getLast())).as("the tool_result of the Edit" + context).contains("tool_result");
        assertThat(afterEdit.lastMessageText()).as("the refusal's reason, as the model sees it" + context)
                .contains("src/a.txt is claimed exclusively by another agent, so this edit was refused", "alice", aliceSid,
                        "rewriting the parser", "ask_peer (target: alice)");
        assertThat(Files.readString(repo.resolve("src/a.txt"))).as("the file is unchanged").isEqualTo("alpha\n");
        alice.close();
    }

    /** Every Claude hook of the catalog, as huddle setup installs it (matchers included; the rewake waiter in the background). */
    private void installHooks() throws Exception {
        Map<String, List<Object>> hooks = new LinkedHashMap<>();
        for (HookSpec spec : HookCatalog.forClient(HookClient.CLAUDE)) {
            Map<String, Object> handler = new LinkedHashMap<>();
            handler.put("type", "command");
            if (spec.rewake()) {
                handler.put("command", HookCommands.rewake(hub.paths().httpSocket(), HookClient.CLAUDE, spec.endpoint()));
                handler.put("async", true);
                handler.put("asyncRewake", true);
                handler.put("timeout", HookCommands.REWAKE_WAIT_S);
            } else {
                handler.put("command", HookCommands.curl(hub.paths().httpSocket(), HookClient.CLAUDE, spec.event()));
            }
            Map<String, Object> group = new LinkedHashMap<>();
            if (spec.matcher() != null) group.put("matcher", spec.matcher());
            group.put("hooks", List.of(handler));
            hooks.computeIfAbsent(spec.event(), e -> new ArrayList<>()).add(group);
        }
        Path settings = userHome.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, Json.write(Map.of("hooks", hooks)));
    }

    private Map<String, String> claudeEnv(ScriptedModel model) {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", userHome.toString());
        env.put("TMPDIR", "/tmp");
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home"));
        env.put("ANTHROPIC_BASE_URL", model.baseUrl());
        env.put("ANTHROPIC_API_KEY", "test");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("ENABLE_TOOL_SEARCH", "false");
        return env;
    }
}
