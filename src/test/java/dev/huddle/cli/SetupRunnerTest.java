package dev.huddle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.setup.Scope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupRunnerTest {
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("huddle");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        env.put("HOME", home.toString());
        env.put("HUDDLE_HOME", home.resolve("hh").toString());
        env.put("HUDDLE_LAUNCHER", launcher.toString());
        env.put("PATH", "/usr/bin:/bin");
    }

    private int run(boolean uninstall, List<HookClient> clients, Scope scope, boolean dryRun, boolean json) {
        return new SetupRunner(env, home, new PrintWriter(out), new PrintWriter(err)).run(uninstall, clients, scope, dryRun, json);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void dryRunWritesNothingAndShowsTheDiff() throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{\n  // mine\n}\n");
        List<Path> before = files();
        assertThat(run(false, null, Scope.USER, true, false)).isZero();
        assertThat(files()).isEqualTo(before);
        assertThat(Files.readString(home.resolve(".claude/settings.json"))).isEqualTo("{\n  // mine\n}\n");
        assertThat(out.toString()).contains("--dry-run (nothing is written)")
                .contains(home.resolve(".claude/settings.json") + "  would be updated")
                .contains("    added      hooks.PreToolUse")
                .contains("      +  \"hooks\": {")
                .contains("2 files would change.")
                .doesNotContain("Codex"); // only clients whose config directory exists
    }

    @Test
    void jsonReportAndIdempotentSecondRun() throws Exception {
        assertThat(run(false, List.of(HookClient.CODEX), Scope.USER, false, true)).isZero();
        JsonNode r = JsonMapper.shared().readTree(out.toString());
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("files")).hasSize(2);
        assertThat(r.path("files").get(0).path("state").asString()).isEqualTo("created");
        assertThat(r.path("files").get(0).path("changes").get(0).path("item").asString()).isEqualTo("[mcp_servers.huddle]");
        assertThat(r.path("notes").toString()).contains("Codex: trust the new huddle hooks", "Trust all and continue");
        assertThat(r.path("permissions").toString()).contains("default_tools_approval_mode");

        out.getBuffer().setLength(0);
        assertThat(run(false, List.of(HookClient.CODEX), Scope.USER, false, false)).isZero();
        assertThat(out.toString()).contains("Nothing to change: huddle is set up and current (hooks v" + dev.huddle.agents.HookCatalog.VERSION + ").").doesNotContain("Trust all and continue");
    }

    @Test
    void aPermissionRuleAlreadyThereIsNotAskedForAgain() throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{\"permissions\": {\"allow\": [\"Bash(ls)\", \"mcp__huddle__*\"]}}\n");
        assertThat(run(false, List.of(HookClient.CLAUDE, HookClient.CODEX), Scope.USER, false, false)).isZero();
        assertThat(out.toString()).contains("huddle's tools already run without asking in Claude Code.")
                .contains("add it yourself")
                .contains("default_tools_approval_mode") // Codex's rule is still missing
                .doesNotContain("mcp__huddle__*\"]}"); // Claude Code's is not asked for again

        Files.writeString(home.resolve(".codex/config.toml"), Files.readString(home.resolve(".codex/config.toml"))
                .replace("[mcp_servers.huddle]\n", "[mcp_servers.huddle]\ndefault_tools_approval_mode = \"approve\"\n"));
        out.getBuffer().setLength(0);
        assertThat(run(false, List.of(HookClient.CLAUDE, HookClient.CODEX), Scope.USER, false, true)).isZero();
        JsonNode r = JsonMapper.shared().readTree(out.toString());
        assertThat(r.path("permissions").get(0).path("granted").asBoolean()).isTrue();
        assertThat(r.path("permissions").get(1).path("granted").asBoolean()).isTrue();
        out.getBuffer().setLength(0);
        assertThat(run(false, List.of(HookClient.CLAUDE, HookClient.CODEX), Scope.USER, false, false)).isZero();
        assertThat(out.toString()).doesNotContain("add it yourself")
                .contains("huddle's tools already run without asking in Claude Code, Codex.");
    }

    @Test
    void refusalExitsOneAndWritesNothing() throws Exception {
        Files.createDirectories(home.resolve(".gemini"));
        Files.writeString(home.resolve(".gemini/settings.json"), "{\"a\": }");
        List<Path> before = files();
        assertThat(run(false, List.of(HookClient.CLAUDE, HookClient.GEMINI), Scope.USER, false, false)).isEqualTo(ExitCodes.FAILURE);
        assertThat(files()).isEqualTo(before);
        assertThat(err.toString()).contains("huddle setup: refused; nothing was written.")
                .contains(home.resolve(".gemini/settings.json") + ": line 1, column 7: unexpected '}' where a value should be");
    }

    @Test
    void projectScopeNeedsARepository() {
        assertThat(run(false, null, Scope.PROJECT, false, false)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("is not in a git repository");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Cli.run(new String[] {"setup", "--client", "vim", "--dry-run"})).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(new String[] {"uninstall", "--scope", "galaxy", "--dry-run"})).isEqualTo(ExitCodes.USAGE);
    }
}
