package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code huddle setup}, {@code huddle uninstall} and {@code huddle doctor} run through the real launcher against a
 * scratch HOME (Claude Code, Codex and Gemini CLI configs with comments and other tools' entries), CODEX_HOME and a
 * HUDDLE_HOME whose path has a space and a quote. With the real Claude Code CLI present (always under CI), its
 * {@code claude mcp list} must show the server setup registered as connected.
 */
@Timeout(600)
class SetupIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    static final String CLAUDE_SETTINGS = """
            {
              // my settings: huddle setup must keep this comment
              "model": "opus",
              "hooks": {
                "PreToolUse": [
                  { "matcher": "Bash", "hooks": [ { "type": "command", "command": "echo other-tool" } ] }, // theirs
                ],
              },
            }
            """;
    static final String CODEX_CONFIG = """
            # my codex config
            model = "o3"

            [mcp_servers.other]
            command = "other-server"   # keep me
            """;
    static final String GEMINI_SETTINGS = "{\n  \"theme\": \"dark\" /* mine */\n}\n";

    private Path launcher;
    private Path home;
    private Path codexHome;
    private Path huddleHome;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        launcher = Path.of(System.getProperty("huddle.launcher")).toAbsolutePath();
        assertThat(launcher).isExecutable();
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        home = Files.createTempDirectory(Path.of("/tmp"), "hsetup-home-", rwx);
        codexHome = home.resolve("codex home");
        huddleHome = Files.createDirectories(Files.createTempDirectory(Path.of("/tmp"), "hs", rwx).resolve("it's"));
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), CLAUDE_SETTINGS);
        Files.createDirectories(codexHome);
        Files.writeString(codexHome.resolve("config.toml"), CODEX_CONFIG);
        Files.createDirectories(home.resolve(".gemini"));
        Files.writeString(home.resolve(".gemini/settings.json"), GEMINI_SETTINGS);
        env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("CODEX_HOME", codexHome.toString());
        env.put("HUDDLE_HOME", huddleHome.toString());
        env.put("HUDDLE_AOT", "off");
        String javaHome = System.getenv("HUDDLE_JAVA_HOME");
        env.put("HUDDLE_JAVA_HOME", javaHome != null && !javaHome.isBlank() ? javaHome : System.getProperty("java.home"));
        env.put("LANG", "C.UTF-8");
        env.put("NO_COLOR", "1");
        env.put("TMPDIR", "/tmp");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    }

    @AfterEach
    void tearDown() {
        try {
            huddle("hub", "stop");
        } catch (Exception | AssertionError ignored) {
            // no hub was started
        } finally {
            List<String> killed = ItProcesses.killProcessesUsing(huddleHome);
            if (!killed.isEmpty()) System.err.println("SetupIT: killed leftovers " + killed);
            ItProcesses.deleteRecursively(huddleHome.getParent());
            ItProcesses.deleteRecursively(home);
        }
    }

    private ItProcesses.Result huddle(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return ItProcesses.run(env, home, TIMEOUT, command);
    }

    private Map<Path, String> snapshot() throws IOException {
        Map<Path, String> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) m.put(p, Files.readString(p, StandardCharsets.UTF_8));
        }
        return m;
    }

    private static JsonNode check(JsonNode doctor, String name) {
        for (JsonNode c : doctor.path("checks")) if (name.equals(c.path("name").asString())) return c;
        throw new AssertionError("no check " + name + " in " + doctor);
    }

    @Test
    void setupIsIdempotentKeepsEverythingElseAndUninstallRestoresTheFiles() throws Exception {
        Map<Path, String> original = snapshot();

        ItProcesses.Result dry = huddle("setup", "--dry-run");
        assertThat(dry.exitCode()).as("%s", dry).isZero();
        assertThat(dry.output()).contains("would be updated").contains("+    \"SessionStart\": [");
        assertThat(snapshot()).as("--dry-run writes nothing").isEqualTo(original);

        ItProcesses.Result setup = huddle("setup");
        assertThat(setup.exitCode()).as("%s", setup).isZero();
        assertThat(setup.output()).contains("added      mcpServers.huddle").contains("added      hooks.Stop")
                .contains("added      [mcp_servers.huddle]").contains("Codex: trust the new huddle hooks: start codex and pick \"Trust all and continue\"")
                .contains("\"permissions\": {\"allow\": [\"mcp__huddle__*\"]}").contains("\"trust\": true")
                .contains("MCP command " + launcher + " mcp");
        String claude = Files.readString(home.resolve(".claude/settings.json"));
        assertThat(claude).contains("// my settings: huddle setup must keep this comment", "echo other-tool", "// theirs",
                "http://huddle/hooks/claude/PreToolUse?v=" + dev.huddle.agents.HookCatalog.VERSION);
        assertThat(Files.readString(codexHome.resolve("config.toml"))).startsWith(CODEX_CONFIG)
                .contains("[mcp_servers.huddle]", "env_vars = [\"CODEX_HOME\", \"TMUX\", \"TMUX_PANE\"]", "tool_timeout_sec = 130");
        assertThat(Files.readString(home.resolve(".gemini/settings.json"))).contains("/* mine */", "\"name\": \"huddle-AfterAgent\"");
        try (Stream<Path> s = Files.list(home.resolve(".claude"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("settings.json.huddle-backup-"));
        }

        ItProcesses.Result again = huddle("setup");
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.output()).contains("Nothing to change").doesNotContain("added").doesNotContain("updated");

        ItProcesses.Result doctor = huddle("doctor", "--json");
        JsonNode d = JsonMapper.shared().readTree(doctor.output());
        for (String name : List.of("claude-code", "claude-code-hooks", "codex", "gemini", "gemini-hooks")) {
            assertThat(check(d, name).path("status").asString()).as("%s: %s", name, check(d, name)).isEqualTo("ok");
        }
        // installed and current, but Codex runs none of them until its user trusts them
        assertThat(check(d, "codex-hooks").path("status").asString()).isEqualTo("warn");
        assertThat(check(d, "codex-hooks").path("detail").asString()).contains("5 hooks, v" + dev.huddle.agents.HookCatalog.VERSION, "0 of 5 trusted");
        assertThat(check(d, "claude-code-hooks").path("detail").asString()).contains("7 hooks, v" + dev.huddle.agents.HookCatalog.VERSION + ", via curl");

        // the installed command, as Claude Code runs it, with no hub running: nothing printed, exit 0
        String stopHook = JsonMapper.shared().readTree(Files.readString(codexHome.resolve("hooks.json")))
                .path("hooks").path("Stop").get(0).path("hooks").get(0).path("command").asString();
        assertThat(stopHook).contains("--unix-socket '" + huddleHome.toString().replace("'", "'\\''") + "/http.sock'");
        ItProcesses.Result hookRun = ItProcesses.run(env, home, TIMEOUT, List.of("sh", "-c", stopHook));
        assertThat(hookRun).isEqualTo(new ItProcesses.Result(List.of("sh", "-c", stopHook), 0, ""));

        claudeMcpListShowsHuddleConnected();

        ItProcesses.Result uninstall = huddle("uninstall");
        assertThat(uninstall.exitCode()).as("%s", uninstall).isZero();
        assertThat(uninstall.output()).contains("removed    mcpServers.huddle").contains("removed    hooks.PreToolUse");
        assertThat(Files.readString(home.resolve(".claude/settings.json"))).isEqualTo(CLAUDE_SETTINGS);
        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo(CODEX_CONFIG);
        assertThat(Files.readString(home.resolve(".gemini/settings.json"))).isEqualTo(GEMINI_SETTINGS);
        ItProcesses.Result after = huddle("doctor", "--json");
        assertThat(check(JsonMapper.shared().readTree(after.output()), "claude-code-hooks").path("detail").asString()).startsWith("missing");
    }

    @Test
    void brokenAndReadOnlyFilesAreRefusedAndLeftAlone() throws Exception {
        Files.writeString(codexHome.resolve("config.toml"), "[mcp_servers.other\ncommand = \"x\"\n");
        Map<Path, String> before = snapshot();
        ItProcesses.Result broken = huddle("setup");
        assertThat(broken.exitCode()).as("%s", broken).isEqualTo(1);
        assertThat(broken.output()).contains("refused; nothing was written").contains(codexHome.resolve("config.toml") + ": line 1")
                .contains("not valid TOML");
        assertThat(snapshot()).isEqualTo(before);

        Path settings = home.resolve(".claude/settings.json");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("r--r--r--"));
        ItProcesses.Result readOnly = huddle("setup", "--client", "claude", "--json");
        assertThat(readOnly.exitCode()).as("%s", readOnly).isEqualTo(1);
        JsonNode r = JsonMapper.shared().readTree(readOnly.output());
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("problems").get(0).asString()).contains(settings + " is read-only (r--r--r--)");
        assertThat(snapshot()).isEqualTo(before);

        ItProcesses.Result usage = huddle("setup", "--client", "emacs");
        assertThat(usage.exitCode()).as("%s", usage).isEqualTo(2);
    }

    /** With the real Claude Code CLI: {@code claude mcp list} starts the registered front, which reaches the hub. */
    private void claudeMcpListShowsHuddleConnected() throws Exception {
        Optional<Path> claude = claudeBinary();
        if (claude.isEmpty()) return;
        ItProcesses.Result list = ItProcesses.run(env, home, TIMEOUT, List.of(claude.get().toString(), "mcp", "list"));
        assertThat(list.exitCode()).as("%s", list).isZero();
        String line = list.output().lines().filter(l -> l.startsWith("huddle:")).findFirst().orElse("");
        assertThat(line).as("claude mcp list%n%s", list).contains(launcher + " mcp").containsPattern("[✓✔] Connected");
    }

    private Optional<Path> claudeBinary() {
        String configured = System.getProperty("huddle.claude", System.getenv("HUDDLE_CLAUDE_BIN"));
        Path claude = configured != null && !configured.isBlank() ? Path.of(configured)
                : launcher.getParent().resolve(".ci/node/node_modules/.bin/claude");
        if (Files.isExecutable(claude)) return Optional.of(claude.toAbsolutePath());
        String why = "Claude Code CLI not found at " + claude + " (install it with .ci/install-clients.sh or set HUDDLE_CLAUDE_BIN)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the real-client check");
        System.err.println("SetupIT: " + why + "; skipping the claude mcp list check");
        return Optional.empty();
    }
}
