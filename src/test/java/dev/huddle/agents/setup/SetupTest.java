package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup and uninstall planned and written against real files in a scratch home. */
class SetupTest {
    static final List<HookClient> ALL = List.of(HookClient.values());

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private SetupContext ctx;

    @BeforeEach
    void setUp() {
        ctx = context(Path.of("/opt/huddle/huddle"), Path.of("/home/u/.huddle/http.sock"), null);
    }

    private SetupContext context(Path launcher, Path socket, String huddleHome) {
        return new SetupContext(home, env, null, launcher, socket, true, 100_000, huddleHome);
    }

    static final String CLAUDE_SETTINGS = """
            {
              // my Claude Code settings
              "model": "opus",
              "hooks": {
                "PreToolUse": [
                  {
                    "matcher": "Bash",
                    "hooks": [{"type": "command", "command": "~/bin/guard.sh"}], // other tool
                  },
                ],
                /* keep this */
                "Notification": [{"hooks": [{"type": "command", "command": "notify-send hi"}]}],
              },
            }
            """;

    static final String CODEX_CONFIG = """
            # Codex
            model = "o3"   # fast

            [mcp_servers.other]
            command = "other"
            args = [
              "[not a header]",
            ]

            [profiles.x]
            model = "o4"
            """;

    static final String GEMINI_SETTINGS = """
            {
            \t"theme": "dark",
            \t"mcpServers": {
            \t\t"other": {"command": "o"}
            \t},
            \t"hooks": {
            \t\t"AfterTool": [{"matcher": "write_file", "hooks": [{"name": "fmt", "type": "command", "command": "fmt", "timeout": 1000}]}]
            \t}
            }
            """;

    private Path write(String relative, String text) throws IOException {
        Path p = home.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private String read(String relative) throws IOException {
        return Files.readString(home.resolve(relative), StandardCharsets.UTF_8);
    }

    private SetupPlan apply(SetupPlan plan) throws IOException {
        assertThat(plan.problems()).isEmpty();
        for (FilePlan f : plan.files()) if (f.changed()) ConfigWriter.write(f);
        return plan;
    }

    private void writeAll() throws IOException {
        write(".claude/settings.json", CLAUDE_SETTINGS);
        write(".codex/config.toml", CODEX_CONFIG);
        write(".gemini/settings.json", GEMINI_SETTINGS);
    }

    @Test
    void installsEverythingKeepsOtherToolsAndRoundTripsThroughUninstall() throws Exception {
        writeAll();
        SetupPlan plan = apply(Setup.install(ctx, ALL, Scope.USER));
        assertThat(plan.files()).extracting(f -> home.relativize(f.path()).toString())
                .containsExactly(".claude.json", ".claude/settings.json", ".codex/config.toml", ".codex/hooks.json", ".gemini/settings.json");

        JsoncDocument claude = JsoncDocument.parse(read(".claude/settings.json"));
        assertThat(read(".claude/settings.json")).contains("// my Claude Code settings", "/* keep this */", "// other tool", "~/bin/guard.sh");
        for (var spec : HookCatalog.forClient(HookClient.CLAUDE)) {
            assertThat(JsonHooks.ours(claude, spec.event()).stream()
                    .filter(o -> HookCommands.endpointOf(o.command()).orElseThrow().equals(spec.endpoint())).toList()).singleElement()
                    .satisfies(o -> assertThat(o.command()).isEqualTo(ctx.command(spec)));
        }
        assertThat(claude.get(List.of("hooks", "PreToolUse", 0, "matcher"))).contains("Bash");
        assertThat(claude.get(List.of("hooks", "SessionEnd", 0, "hooks", 0, "timeout"))).contains(2L);
        assertThat(claude.get(List.of("hooks", "Stop", 0, "hooks", 0, "timeout"))).contains(5L);
        // the rewake waiter: in the background, its labels for what a wake shows (Claude Code 2.1.329, ClaudeCodeRewakeIT)
        assertThat(claude.get(List.of("hooks", "Stop", 1, "hooks", 0))).hasValueSatisfying(h -> assertThat((Map<String, Object>) h)
                .containsEntry("async", true).containsEntry("asyncRewake", true)
                .containsEntry("rewakeSummary", "huddle: a message woke this session")
                .containsEntry("rewakeMessage", "huddle delivered this while the session was idle:"));
        assertThat(JsoncDocument.parse(read(".claude.json")).get(List.of("mcpServers", "huddle")))
                .contains(Map.of("type", "stdio", "command", "/opt/huddle/huddle", "args", List.of("mcp"), "env", Map.of()));

        TomlDocument codex = TomlDocument.parse(read(".codex/config.toml"));
        assertThat(read(".codex/config.toml")).startsWith(CODEX_CONFIG);
        assertThat(codex.at(List.of("mcp_servers", "huddle")).toString()).isEqualTo(
                "{\"command\":\"/opt/huddle/huddle\",\"args\":[\"mcp\"],\"env_vars\":[\"CODEX_HOME\",\"TMUX\",\"TMUX_PANE\"],"
                        + "\"startup_timeout_sec\":20,\"tool_timeout_sec\":130}");
        assertThat(JsonHooks.ours(JsoncDocument.parse(read(".codex/hooks.json")), "Stop")).hasSize(1);

        JsoncDocument gemini = JsoncDocument.parse(read(".gemini/settings.json"));
        assertThat(gemini.get(List.of("mcpServers", "huddle")))
                .contains(Map.of("command", "/opt/huddle/huddle", "args", List.of("mcp"), "timeout", 130_000L));
        assertThat(gemini.get(List.of("mcpServers", "other"))).contains(Map.of("command", "o"));
        assertThat(gemini.get(List.of("hooks", "AfterTool", 0, "hooks", 0, "name"))).contains("fmt");
        assertThat(gemini.get(List.of("hooks", "AfterTool", 1, "hooks", 0)).orElseThrow())
                .isEqualTo(Map.of("name", "huddle-AfterTool", "type", "command", "command", ctx.command(HookCatalog.find(HookClient.GEMINI, "AfterTool").orElseThrow()), "timeout", 5000L));
        assertThat(read(".gemini/settings.json")).contains("\n\t\t\"huddle\": {\n\t\t\t\"command\"");

        apply(Setup.uninstall(ctx, ALL, Scope.USER));
        assertThat(read(".claude/settings.json")).isEqualTo(CLAUDE_SETTINGS);
        assertThat(read(".codex/config.toml")).isEqualTo(CODEX_CONFIG);
        assertThat(read(".gemini/settings.json")).isEqualTo(GEMINI_SETTINGS);
        assertThat(read(".claude.json")).isEqualTo("{}\n");
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        writeAll();
        apply(Setup.install(ctx, ALL, Scope.USER));
        SetupPlan again = Setup.install(ctx, ALL, Scope.USER);
        assertThat(again.ok()).isTrue();
        assertThat(again.changesAnything()).isFalse();
        assertThat(again.files()).flatExtracting(FilePlan::changes).extracting(Change::action).containsOnly(Change.Action.UNCHANGED);
    }

    @Test
    void upgradesOlderCommandsInPlaceAndCollapsesDuplicates() throws Exception {
        String v0 = ctx.command(HookCatalog.find(HookClient.CLAUDE, "PreToolUse").orElseThrow()).replace("?v=" + HookCatalog.VERSION, "?v=0");
        String v0stop = HookCommands.java(Path.of("/old/huddle"), HookClient.CLAUDE, "Stop").replace("--hook-version " + HookCatalog.VERSION, "--hook-version 0");
        write(".claude/settings.json", """
                {
                  "hooks": {
                    "PreToolUse": [
                      {"hooks": [{"type": "command", "command": "guard"}, {"type": "command", "command": %s, "timeout": 9}]},
                      {"hooks": [{"type": "command", "command": %s}]}
                    ],
                    "Stop": [{"hooks": [{"type": "command", "command": %s}]}],
                    "Notification": [{"hooks": [{"type": "command", "command": %s}]}, {"hooks": [{"type": "command", "command": "keep"}]}]
                  }
                }
                """.formatted(JsonStyle.quote(v0), JsonStyle.quote(v0), JsonStyle.quote(v0stop), JsonStyle.quote(v0)));
        SetupPlan plan = apply(Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER));
        assertThat(plan.files().get(1).changes()).contains(
                new Change("hooks.PreToolUse", Change.Action.UPDATED, "v0 → v" + HookCatalog.VERSION + "; 1 duplicate removed"),
                new Change("hooks.Stop", Change.Action.UPDATED, "v0 → v" + HookCatalog.VERSION),
                Change.of("hooks.Stop (Rewake)", Change.Action.ADDED),
                new Change("hooks.Notification", Change.Action.REMOVED, "huddle no longer uses this hook"),
                Change.of("hooks.PostToolUse", Change.Action.ADDED),
                Change.of("hooks.SessionStart", Change.Action.ADDED));
        JsoncDocument d = JsoncDocument.parse(read(".claude/settings.json"));
        assertThat(d.get(List.of("hooks", "PreToolUse"))).contains(List.of(Map.of("hooks", List.of(
                Map.of("type", "command", "command", "guard"),
                Map.of("type", "command", "command", v0.replace("?v=0", "?v=" + HookCatalog.VERSION), "timeout", 5L)))));
        assertThat(d.get(List.of("hooks", "Notification"))).contains(List.of(Map.of("hooks", List.of(Map.of("type", "command", "command", "keep")))));
        assertThat(d.get(List.of("hooks", "PostToolUse", 0, "matcher"))).contains("Bash|Edit|Write|MultiEdit|NotebookEdit");
        assertThat(Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER).changesAnything()).isFalse();
    }

    /**
     * With a hook port, Claude Code's hooks become http hooks (but SessionStart and the rewake waiter, which must be
     * commands); an existing curl install is upgraded in place and read back by the doctor; Codex keeps curl.
     */
    @Test
    void claudeGetsHttpHooksWithAHookPortAndACurlInstallIsUpgradedInPlace() throws Exception {
        apply(Setup.install(ctx, List.of(HookClient.CLAUDE, HookClient.CODEX), Scope.USER));
        SetupContext http = new SetupContext(home, env, null, ctx.launcher(), ctx.httpSocket(), true, 100_000, null, 41_873);
        SetupPlan plan = apply(Setup.install(http, List.of(HookClient.CLAUDE, HookClient.CODEX), Scope.USER));
        assertThat(plan.files().stream().flatMap(f -> f.changes().stream()).toList())
                .contains(new Change("hooks.PreToolUse", Change.Action.UPDATED, "curl → http (no process per hook)"))
                .doesNotContain(new Change("hooks.SessionStart", Change.Action.UPDATED, "curl → http (no process per hook)"));
        JsoncDocument d = JsoncDocument.parse(read(".claude/settings.json"));
        assertThat(d.get(List.of("hooks", "PreToolUse", 0, "hooks", 0))).contains(Map.of("type", "http",
                "url", "http://127.0.0.1:41873/hooks/claude/PreToolUse?v=" + HookCatalog.VERSION, "timeout", 5L));
        assertThat(d.get(List.of("hooks", "SessionStart", 0, "hooks", 0, "type"))).contains("command");
        assertThat(JsonHooks.ours(d, "Stop").stream().map(o -> HookCommands.endpointOf(o.command()).orElseThrow()))
                .containsExactlyInAnyOrder("Stop", "Rewake");
        assertThat(d.get(List.of("hooks", "Stop", 1, "hooks", 0, "type"))).as("the rewake waiter").contains("command");
        assertThat(read(".codex/hooks.json")).doesNotContain("127.0.0.1").contains("--unix-socket");

        InstalledHooks installed = InstalledHooks.inspect(HookClient.CLAUDE, home, env, null);
        assertThat(installed.ports()).containsExactly(41_873);
        assertThat(installed.missing()).isEmpty();
        assertThat(installed.launcherForm()).isFalse();
        assertThat(Setup.install(http, List.of(HookClient.CLAUDE), Scope.USER).changesAnything()).isFalse();

        SetupPlan back = apply(Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER));
        assertThat(back.files().stream().flatMap(f -> f.changes().stream()).toList())
                .contains(new Change("hooks.PreToolUse", Change.Action.UPDATED, "http → command"));
        assertThat(InstalledHooks.inspect(HookClient.CLAUDE, home, env, null).ports()).isEmpty();
    }

    /**
     * Codex keys the trust its user gave a hook by the hook's place in hooks.json (event, group, handler): an upgrade
     * replaces huddle's handlers where they are and leaves every other group where it was, so only the hooks whose
     * command changed need trusting again.
     */
    @Test
    void anUpgradeKeepsEveryCodexHookGroupInItsPlace() throws Exception {
        String v0 = ctx.command(HookCatalog.find(HookClient.CODEX, "PreToolUse").orElseThrow()).replace("?v=" + HookCatalog.VERSION, "?v=0");
        String stop = ctx.command(HookCatalog.find(HookClient.CODEX, "Stop").orElseThrow());
        write(".codex/hooks.json", """
                {
                  "hooks": {
                    "PreToolUse": [
                      {"hooks": [{"type": "command", "command": "guard"}]},
                      {"hooks": [{"type": "command", "command": %s, "timeout": 5}]},
                      {"matcher": "Bash", "hooks": [{"type": "command", "command": "after"}]}
                    ],
                    "Stop": [{"hooks": [{"type": "command", "command": "first"}]}, {"hooks": [{"type": "command", "command": %s, "timeout": 5}]}]
                  }
                }
                """.formatted(JsonStyle.quote(v0), JsonStyle.quote(stop)));
        apply(Setup.install(ctx, List.of(HookClient.CODEX), Scope.USER));
        JsoncDocument d = JsoncDocument.parse(read(".codex/hooks.json"));
        assertThat(JsonHooks.ours(d, "PreToolUse")).singleElement().satisfies(o -> {
            assertThat(o.group()).isEqualTo(1);
            assertThat(o.handler()).isZero();
            assertThat(o.command()).contains("?v=" + HookCatalog.VERSION);
        });
        assertThat(d.get(List.of("hooks", "PreToolUse", 0, "hooks", 0, "command"))).contains("guard");
        assertThat(d.get(List.of("hooks", "PreToolUse", 2, "hooks", 0, "command"))).contains("after");
        assertThat(JsonHooks.ours(d, "Stop")).singleElement().satisfies(o -> assertThat(o.group()).isEqualTo(1));
        assertThat(JsonHooks.ours(d, "SessionStart")).singleElement().satisfies(o -> assertThat(o.group()).isZero());
        assertThat(Setup.install(ctx, List.of(HookClient.CODEX), Scope.USER).changesAnything()).isFalse();
    }

    @Test
    void unparsableFilesAreRefusedAndNothingIsWritten() throws Exception {
        write(".claude/settings.json", "{\n  \"model\": \"opus\"\n  \"hooks\": {}\n}\n");
        write(".codex/config.toml", "[mcp_servers.other\ncommand = \"x\"\n");
        SetupPlan plan = Setup.install(ctx, ALL, Scope.USER);
        assertThat(plan.ok()).isFalse();
        assertThat(plan.problems()).hasSize(2);
        assertThat(plan.problems().get(0)).startsWith(home.resolve(".claude/settings.json") + ": line 3, column 3: expected ','")
                .contains("huddle setup changed no file").contains("--client");
        assertThat(plan.problems().get(1)).startsWith(home.resolve(".codex/config.toml") + ": line ").contains("not valid TOML");
        assertThat(Setup.uninstall(ctx, ALL, Scope.USER).problems()).hasSize(2);
    }

    @Test
    void codexServerDefinedWithDottedKeysIsRefused() throws Exception {
        write(".codex/config.toml", "mcp_servers.huddle.command = \"/x/huddle\"\n");
        SetupPlan plan = Setup.install(ctx, List.of(HookClient.CODEX), Scope.USER);
        assertThat(plan.problems()).singleElement().asString().contains("line 1 defines mcp_servers.huddle.command with dotted keys")
                .contains("Rewrite the huddle entry as a [mcp_servers.huddle] table");
    }

    @Test
    void unexpectedShapesAreRefused() throws Exception {
        write(".claude/settings.json", "{\"hooks\": {\"Stop\": \"not an array\"}}");
        write(".claude.json", "{\"mcpServers\": {\"huddle\": \"x\"}}");
        SetupPlan plan = Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER);
        assertThat(plan.problems()).hasSize(2);
        assertThat(String.join("\n", plan.problems())).contains("mcpServers.huddle is not a JSON object")
                .contains("\"hooks.Stop\" is a string where an array is expected");
    }

    @Test
    void readOnlyFilesAndDirectoriesAreRefused() throws Exception {
        Path settings = write(".claude/settings.json", "{}\n");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("r--r--r--"));
        SetupPlan plan = Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER);
        assertThat(plan.problems()).singleElement().asString().contains(settings + " is read-only (r--r--r--)").contains("chmod u+w");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));

        Path gemini = Files.createDirectories(home.resolve(".gemini"));
        Files.setPosixFilePermissions(gemini, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            SetupPlan g = Setup.install(ctx, List.of(HookClient.GEMINI), Scope.USER);
            assertThat(g.problems()).singleElement().asString().contains("the directory " + gemini + " is read-only");
        } finally {
            Files.setPosixFilePermissions(gemini, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void pinsHuddleHomeForTheFrontAndHonoursClaudeConfigDir() throws Exception {
        Path config = home.resolve("alt claude");
        env.put("CLAUDE_CONFIG_DIR", config.toString());
        env.put("CODEX_HOME", home.resolve("cx").toString());
        SetupContext pinned = context(Path.of("/opt/h/huddle"), Path.of("/tmp/hh/http.sock"), "/tmp/hh");
        apply(Setup.install(pinned, ALL, Scope.USER));
        assertThat(JsoncDocument.parse(Files.readString(config.resolve(".claude.json"))).get(List.of("mcpServers", "huddle", "env")))
                .contains(Map.of("HUDDLE_HOME", "/tmp/hh"));
        assertThat(Files.exists(config.resolve("settings.json"))).isTrue();
        assertThat(Files.exists(home.resolve(".claude.json"))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve(".claude.json")))).isEqualTo("rw-------");
        assertThat(Files.readString(home.resolve("cx/config.toml"))).contains("env = { HUDDLE_HOME = \"/tmp/hh\" }");
        assertThat(JsoncDocument.parse(read(".gemini/settings.json")).get(List.of("mcpServers", "huddle", "env")))
                .contains(Map.of("HUDDLE_HOME", "/tmp/hh"));
        // without HUDDLE_HOME the pin goes, other variables stay
        SetupContext plain = context(Path.of("/opt/h/huddle"), Path.of("/tmp/hh/http.sock"), null);
        apply(Setup.install(plain, ALL, Scope.USER));
        assertThat(Files.readString(home.resolve("cx/config.toml"))).contains("env = {}");
        assertThat(JsoncDocument.parse(read(".gemini/settings.json")).get(List.of("mcpServers", "huddle", "env"))).contains(Map.of());
    }

    @Test
    void keepsTheUsersOwnServerKeysAndLargerTimeouts() throws Exception {
        write(".codex/config.toml", """
                [mcp_servers.huddle]
                command = "/old/huddle"
                env_vars = ["MINE"]
                tool_timeout_sec = 900
                default_tools_approval_mode = "approve"
                """);
        write(".gemini/settings.json", "{\"mcpServers\": {\"huddle\": {\"command\": \"/old\", \"trust\": true, \"timeout\": 600000}}}");
        apply(Setup.install(ctx, List.of(HookClient.CODEX, HookClient.GEMINI), Scope.USER));
        assertThat(read(".codex/config.toml")).isEqualTo("""
                [mcp_servers.huddle]
                command = "/opt/huddle/huddle"
                env_vars = ["MINE", "CODEX_HOME", "TMUX", "TMUX_PANE"]
                tool_timeout_sec = 900
                default_tools_approval_mode = "approve"
                args = ["mcp"]
                startup_timeout_sec = 20
                """);
        // a file written on one line stays on one line
        assertThat(read(".gemini/settings.json")).doesNotContain("\n")
                .startsWith("{\"mcpServers\": {\"huddle\": {\"command\": \"/opt/huddle/huddle\", \"trust\": true, \"timeout\": 600000, \"args\": [\"mcp\"]}}, \"hooks\": {");
    }

    @Test
    void uninstallWithoutFilesDoesNothing() {
        SetupPlan plan = Setup.uninstall(ctx, ALL, Scope.USER);
        assertThat(plan.ok()).isTrue();
        assertThat(plan.files()).isEmpty();
    }

    @Test
    void projectScopeWritesTheRepositorysFiles() throws Exception {
        Path repo = Files.createDirectories(home.resolve("repo"));
        SetupContext p = new SetupContext(home, env, repo, Path.of("/opt/huddle/huddle"), Path.of("/s/http.sock"), false, 100_000, null);
        SetupPlan plan = apply(Setup.install(p, ALL, Scope.PROJECT));
        assertThat(plan.files()).extracting(f -> repo.relativize(f.path()).toString())
                .containsExactly(".mcp.json", ".claude/settings.json", ".codex/config.toml", ".codex/hooks.json", ".gemini/settings.json");
        assertThat(Files.readString(repo.resolve(".claude/settings.json"))).contains("'/opt/huddle/huddle' hook claude Stop --hook-version " + HookCatalog.VERSION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(repo.resolve(".mcp.json")))).isEqualTo("rw-r--r--");
    }
}
