package dev.huddle.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.DoctorContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigsTest {
    @TempDir
    Path home;

    private Path launcher;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        launcher = home.resolve("bin/huddle");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        env.put("PATH", launcher.getParent().toString());
    }

    private ClientConfigs configs() {
        return configs(null);
    }

    private ClientConfigs configs(Path projectRoot) {
        return new ClientConfigs(new DoctorContext(home, env, projectRoot, home.resolve("http.sock"), true));
    }

    private static AgentClient client(HookClient id) {
        return AgentClients.installed().of(id);
    }

    private Check claude() {
        return configs().check(client(HookClient.CLAUDE));
    }

    private Check codex() {
        return configs().check(client(HookClient.CODEX));
    }

    private Check gemini() {
        return configs().check(client(HookClient.GEMINI));
    }

    private void write(String relative, String text) throws IOException {
        Path p = home.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void nothingInstalledIsFine() {
        assertThat(configs().all()).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Check.Status.OK);
            assertThat(c.detail()).startsWith("not installed");
        });
    }

    @Test
    void claudeUserScopeRegistration() throws IOException {
        write(".claude.json", "{\"mcpServers\":{\"huddle\":{\"type\":\"stdio\",\"command\":\"" + launcher + "\",\"args\":[\"mcp\"]}}}");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.detail()).contains("registered (user scope)").contains(launcher.toString());
    }

    @Test
    void claudeLocalScopeRegistrationUnderProjects() throws IOException {
        write(".claude.json", "{\"projects\":{\"/a\":{\"mcpServers\":{}},\"/b\":{\"mcpServers\":{\"huddle\":{\"command\":\"huddle\"}}}}}");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.detail()).contains("local scope in 1 project");
    }

    @Test
    void claudeProjectMcpJson() throws IOException {
        Path project = home.resolve("repo");
        write("repo/.mcp.json", "{\"mcpServers\":{\"huddle\":{\"command\":\"" + launcher + "\"}}}");
        Check c = configs(project).check(client(HookClient.CLAUDE));
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.detail()).contains("project scope");
    }

    @Test
    void claudeConfigWithoutHuddle() throws IOException {
        write(".claude.json", "{\"mcpServers\":{\"other\":{\"command\":\"x\"}},\"projects\":{}}");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("config found").contains("huddle not registered");
        assertThat(c.hint()).contains("huddle setup");
    }

    @Test
    void claudeMalformedJsonIsAWarningWithTheParseError() throws IOException {
        write(".claude.json", "{\"mcpServers\": {\"huddle\": ");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("not valid JSON");
    }

    @Test
    void claudeConfigDirFromEnvironment() throws IOException {
        write("alt/.claude.json", "{\"mcpServers\":{\"huddle\":{\"command\":\"" + launcher + "\"}}}");
        env.put("CLAUDE_CONFIG_DIR", home.resolve("alt").toString());
        assertThat(claude().status()).isEqualTo(Check.Status.OK);
    }

    @Test
    void registeredCommandThatDoesNotExistIsAWarning() throws IOException {
        write(".claude.json", "{\"mcpServers\":{\"huddle\":{\"command\":\"/nowhere/huddle\",\"args\":[\"mcp\"]}}}");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("registered").contains("/nowhere/huddle does not exist");
    }

    @Test
    void registeredBareCommandMustBeOnPath() throws IOException {
        write(".claude.json", "{\"mcpServers\":{\"huddle\":{\"command\":\"huddle\"}}}");
        assertThat(claude().status()).isEqualTo(Check.Status.OK);
        env.put("PATH", "/nonexistent");
        Check c = claude();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("not on PATH");
    }

    @Test
    void codexTableRegistration() throws IOException {
        write(".codex/config.toml", "model = \"o3\"\n\n[mcp_servers.other]\ncommand = \"x\"\n\n[mcp_servers.huddle]\ncommand = \""
                + launcher + "\"\nargs = [\"mcp\"]\n\n[profiles.fast]\ncommand = \"/nope\"\n");
        Check c = codex();
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.detail()).contains("[mcp_servers.huddle]").contains(launcher.toString());
    }

    @Test
    void codexQuotedTableNameAndCodexHome() throws IOException {
        write("ch/config.toml", "[mcp_servers.\"huddle\"]\ncommand = '" + launcher + "'\n");
        env.put("CODEX_HOME", home.resolve("ch").toString());
        assertThat(codex().status()).isEqualTo(Check.Status.OK);
    }

    @Test
    void codexNotRegistered() throws IOException {
        write(".codex/config.toml", "# [mcp_servers.huddle] is commented out\n[mcp_servers.huddle_old]\ncommand = \"x\"\n");
        Check c = codex();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("huddle not registered");
    }

    @Test
    void codexHomeWithoutConfigFile() throws IOException {
        Files.createDirectories(home.resolve(".codex"));
        Check c = codex();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("no config.toml");
    }

    @Test
    void geminiRegisteredWithCommentsAndTrailingComma() throws IOException {
        write(".gemini/settings.json", "{\n  // huddle\n  \"mcpServers\": {\"huddle\": {\"command\": \"" + launcher
                + "\", \"args\": [\"mcp\"], \"timeout\": 600000,},},\n}\n");
        Check c = gemini();
        assertThat(c.status()).isEqualTo(Check.Status.OK);
        assertThat(c.detail()).contains("registered");
    }

    @Test
    void geminiNotRegisteredAndMalformed() throws IOException {
        write(".gemini/settings.json", "{\"theme\": \"dark\"}");
        assertThat(gemini().status()).isEqualTo(Check.Status.WARN);
        assertThat(gemini().detail()).contains("huddle not registered");
        write(".gemini/settings.json", "{\"theme\": }");
        Check c = gemini();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("not valid JSON").contains("line 1");
    }

    @Test
    void nonObjectTopLevelIsMalformed() throws IOException {
        write(".gemini/settings.json", "[1, 2]");
        assertThat(gemini().detail()).contains("not valid JSON");
    }
}
