package dev.huddle.agents.gemini;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15, defect 4: what huddle doctor and setup say about Gemini CLI asking before huddle's tools. */
class GeminiToolTrustTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Optional<GeminiToolTrust.ToolApproval> inspect(Path user, Path project) {
        return GeminiToolTrust.inspect(user, project, dir.resolve("policies"));
    }

    @Test
    void setupsDefaultsAskAndTheAdviceNamesTheFileAndTheKey() throws Exception {
        Path user = write("user.json", "{\"mcpServers\": {\"huddle\": {\"command\": \"/opt/huddle\", \"args\": [\"mcp\"]}}}");
        GeminiToolTrust.ToolApproval a = inspect(user, null).orElseThrow();
        assertThat(a.unattended()).isFalse();
        assertThat(a.detail()).contains("gemini -p");
        assertThat(a.advice()).contains("\"trust\": true", "mcpServers.huddle", user.toString());
    }

    @Test
    void notRegisteredIsNotThisChecksBusiness() throws Exception {
        assertThat(inspect(write("user.json", "{}"), null)).isEmpty();
        assertThat(inspect(dir.resolve("missing.json"), null)).isEmpty();
        assertThat(inspect(write("broken.json", "{\"mcpServers\": "), null)).isEmpty();
    }

    @Test
    void eachRuleThatAllowsHuddlesToolsIsRecognised() throws Exception {
        String server = "\"mcpServers\": {\"huddle\": {\"command\": \"h\"%s}}";
        Path trusted = write("t.json", "{" + server.formatted(", \"trust\": true") + "}");
        assertThat(inspect(trusted, null)).hasValueSatisfying(a -> assertThat(a.unattended()).isTrue());
        Path allowed = write("a.json", "{" + server.formatted("") + ", \"mcp\": {\"allowed\": [\"huddle\"]}}");
        assertThat(inspect(allowed, null)).hasValueSatisfying(a -> assertThat(a.unattended()).isTrue());
        Path headless = write("h.json", "// comment\n{" + server.formatted("") + ", \"mcp\": {\"autoAllowInHeadless\": true,}}");
        assertThat(inspect(headless, null)).hasValueSatisfying(a -> assertThat(a.detail()).contains("interactive sessions still ask"));
        Path untrusted = write("u.json", "{" + server.formatted(", \"trust\": false") + "}");
        assertThat(inspect(untrusted, null)).hasValueSatisfying(a -> assertThat(a.unattended()).isFalse());
    }

    @Test
    void theProjectsSettingsAndAPolicyCountToo() throws Exception {
        Path user = write("user.json", "{\"mcpServers\": {\"huddle\": {\"command\": \"h\"}}}");
        Path project = write("project.json", "{\"mcpServers\": {\"huddle\": {\"command\": \"h\", \"trust\": true}}}");
        assertThat(inspect(user, project)).hasValueSatisfying(a -> assertThat(a.detail()).contains(project.toString()));
        write("policies/other.toml", "[[rule]]\ntoolName = \"run_shell_command\"\ndecision = \"allow\"\n");
        assertThat(inspect(user, null)).hasValueSatisfying(a -> assertThat(a.unattended()).isFalse());
        Path policy = write("policies/huddle.toml", "[[rule]]\nmcpName = \"huddle\"\ndecision = \"allow\"\n");
        assertThat(inspect(user, null)).hasValueSatisfying(a -> assertThat(a.detail()).contains(policy.toString()));
    }
}
