package dev.huddle.agents;

import dev.huddle.core.identity.ClientType;
import dev.huddle.protocol.AgentEnv;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed clients: one per package, found in their order, and what each says about itself. */
class AgentClientsTest {
    private static final AgentClients CLIENTS = AgentClients.installed();

    @Test
    void theThreeClientsAreInstalledInTheirOrder() {
        assertThat(CLIENTS.all()).extracting(AgentClient::type).containsExactly(ClientType.CLAUDE_CODE, ClientType.CODEX, ClientType.GEMINI);
        assertThat(CLIENTS.all()).extracting(AgentClient::id).containsExactly(HookClient.CLAUDE, HookClient.CODEX, HookClient.GEMINI);
        for (AgentClient c : CLIENTS.all()) {
            assertThat(c.id().clientType()).isEqualTo(c.type());
            assertThat(CLIENTS.of(c.type())).contains(c);
            assertThat(CLIENTS.of(c.id())).isSameAs(c);
            assertThat(CLIENTS.byId(c.id().id().toUpperCase())).contains(c);
            assertThat(c.hooks()).allSatisfy(s -> assertThat(s.client()).isEqualTo(c.id()));
            assertThat(c.transcript().map(f -> f.wireName())).contains(c.type().wireName());
        }
        assertThat(CLIENTS.of(ClientType.UNKNOWN)).isEmpty();
        assertThat(CLIENTS.byId("cursor")).isEmpty();
        assertThat(CLIENTS.idsForPeople()).isEqualTo("claude, codex or gemini");
        assertThat(CLIENTS.all()).extracting(AgentClient::displayName).containsExactly("Claude Code", "Codex", "Gemini CLI");
    }

    @Test
    void clientInfoWinsOverEnvironment() {
        assertThat(CLIENTS.detect("claude-code", Map.of("CODEX_HOME", "/x"))).isEqualTo(ClientType.CLAUDE_CODE);
        assertThat(CLIENTS.detect("codex-mcp-client", Map.of("CLAUDECODE", "1"))).isEqualTo(ClientType.CODEX);
        assertThat(CLIENTS.detect("gemini-cli-mcp-client", Map.of())).isEqualTo(ClientType.GEMINI);
    }

    @Test
    void environmentDecidesWhenClientInfoIsUnknown() {
        assertThat(CLIENTS.detect("inspector-cli", Map.of("CLAUDECODE", "1"))).isEqualTo(ClientType.CLAUDE_CODE);
        assertThat(CLIENTS.detect(null, Map.of("CODEX_HOME", "/h"))).isEqualTo(ClientType.CODEX);
        assertThat(CLIENTS.detect(null, Map.of("GEMINI_CLI", "1"))).isEqualTo(ClientType.GEMINI);
        assertThat(CLIENTS.detect(null, Map.of())).isEqualTo(ClientType.UNKNOWN);
    }

    @Test
    void theIdentityRulesOfEachClient() {
        AgentClient claude = CLIENTS.of(HookClient.CLAUDE), codex = CLIENTS.of(HookClient.CODEX), gemini = CLIENTS.of(HookClient.GEMINI);
        assertThat(claude.sessionFromEnv(Map.of("CLAUDE_CODE_SESSION_ID", "s1"))).contains("s1");
        assertThat(codex.sessionFromEnv(Map.of("CLAUDE_CODE_SESSION_ID", "s1"))).isEmpty();
        assertThat(CLIENTS.sessionFromToolMeta(Map.of("threadId", "t1"))).contains("t1");
        assertThat(CLIENTS.sessionFromToolMeta(Map.of("threadId", 7))).isEmpty();
        assertThat(CLIENTS.sessionFromToolMeta(null)).isEmpty();
        assertThat(CLIENTS.all()).filteredOn(AgentClient::hostsSeveralSessions).containsExactly(codex);
        assertThat(claude.wakeRoutes()).containsExactly(WakeRoute.IDLE_WAIT_HOOK);
        assertThat(gemini.wakeRoutes()).isEmpty();
        assertThat(codex.wakeRoutes()).extracting(r -> ((WakeRoute.Command) r).name()).containsExactly("codex_turn_start", "codex_queue");
        assertThat(CLIENTS.routesThatKeepTheWake()).containsExactly("codex_queue");
        for (AgentClient c : CLIENTS.all()) {
            for (String v : c.sessionIdLookup().map(l -> l.replaceAll(".*\\$(\\w+).*", "$1")).stream().toList()) {
                assertThat(AgentEnv.valueOf(v)).as("a variable the agent can echo is one huddle knows").isNotNull();
            }
        }
    }

    @Test
    void eachClientNamesItsOwnEditAndShellTools() {
        AgentClient claude = CLIENTS.of(HookClient.CLAUDE), codex = CLIENTS.of(HookClient.CODEX), gemini = CLIENTS.of(HookClient.GEMINI);
        assertThat(claude.editedFiles(payload("Write", "{\"file_path\":\"/r/a.txt\",\"content\":\"x\"}"))).containsExactly("/r/a.txt");
        assertThat(claude.editedFiles(payload("NotebookEdit", "{\"notebook_path\":\"/r/n.ipynb\"}"))).containsExactly("/r/n.ipynb");
        assertThat(claude.editedFiles(payload("Read", "{\"file_path\":\"/r/a.txt\"}"))).isEmpty();
        assertThat(gemini.editedFiles(payload("replace", "{\"file_path\":\"/r/b.txt\"}"))).containsExactly("/r/b.txt");
        assertThat(gemini.editedFiles(payload("Write", "{\"file_path\":\"/r/b.txt\"}"))).isEmpty();
        String patch = "*** Begin Patch\\n*** Update File: src/a.py\\n@@\\n*** Add File: b.txt\\n+x\\n*** End Patch\\n";
        assertThat(codex.editedFiles(payload("apply_patch", "{\"input\":\"" + patch + "\"}"))).containsExactly("src/a.py", "b.txt");
        assertThat(codex.editedFiles(payload("Bash", "{\"command\":\"apply_patch <<'EOF'\\n" + patch + "EOF\\n\"}"))).containsExactly("src/a.py", "b.txt");
        assertThat(codex.editedFiles(payload("Bash", "{\"command\":\"cat <<'EOF'\\n" + patch + "EOF\\n\"}"))).as("not a patch run").isEmpty();
        assertThat(codex.reportsToolDone(payload("Bash", "{\"command\":\"apply_patch <<'EOF'\\n" + patch + "EOF\\n\"}")))
                .as("Codex applies a shell patch itself: no PostToolUse").isFalse();
        assertThat(codex.reportsToolDone(payload("apply_patch", "{\"input\":\"" + patch + "\"}"))).isTrue();
        assertThat(codex.reportsToolDone(payload("Bash", "{\"command\":\"ls\"}"))).isTrue();
        assertThat(claude.reportsToolDone(payload("Write", "{\"file_path\":\"/r/a.txt\"}"))).isTrue();
        assertThat(codex.editedFiles(payload("Edit", "{\"file_path\":\"/r/a.txt\"}"))).isEmpty();
        assertThat(claude.isShell("Bash")).isTrue();
        assertThat(codex.isShell("Bash")).isTrue();
        assertThat(gemini.isShell("run_shell_command")).isTrue();
        assertThat(gemini.isShell("Bash")).isFalse();
        assertThat(claude.isShell(null)).isFalse();
    }

    @Test
    void eachClientSaysWhereItsSettingsAre() {
        Path home = Path.of("/home/u");
        ClientSetup.ConfigFiles claude = CLIENTS.of(HookClient.CLAUDE).setup().files(home, Map.of(), null);
        assertThat(claude).isEqualTo(new ClientSetup.ConfigFiles(home.resolve(".claude"), home.resolve(".claude.json"), home.resolve(".claude/settings.json")));
        assertThat(CLIENTS.of(HookClient.CLAUDE).setup().files(home, Map.of("CLAUDE_CONFIG_DIR", "/c"), null).mcpFile()).isEqualTo(Path.of("/c/.claude.json"));
        assertThat(CLIENTS.of(HookClient.CODEX).setup().userConfigDir(home, Map.of("CODEX_HOME", "/x/../ch"))).isEqualTo(Path.of("/ch"));
        assertThat(CLIENTS.of(HookClient.GEMINI).setup().files(home, Map.of(), Path.of("/r")))
                .isEqualTo(new ClientSetup.ConfigFiles(Path.of("/r/.gemini"), Path.of("/r/.gemini/settings.json"), Path.of("/r/.gemini/settings.json")));
        assertThat(CLIENTS.of(HookClient.CODEX).setup().mcpEntry()).isInstanceOf(ClientSetup.McpEntry.Toml.class);
        assertThat(Optional.of(CLIENTS.of(HookClient.GEMINI).setup()).filter(ClientSetup::namesHookHandlers)).isPresent();
    }

    private static HookPayload payload(String tool, String toolInput) {
        return HookPayload.parse(("{\"session_id\":\"s1\",\"tool_name\":\"" + tool + "\",\"tool_input\":" + toolInput + "}").getBytes());
    }
}
