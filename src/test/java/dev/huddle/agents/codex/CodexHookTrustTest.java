package dev.huddle.agents.codex;

import dev.huddle.agents.AgentClients;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookTrust;
import dev.huddle.agents.HookTrust.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CodexHookTrust} against what the real Codex 0.169.0 wrote: the fixture is the {@code hooks.json} that
 * {@code huddle setup --client codex} installed (plus a logging hook of another tool after huddle's on two events) and
 * the {@code config.toml} after the TUI's "Hooks need review" dialog was answered "Trust all and continue". Only the
 * directory in the trust keys is replaced with this test's.
 */
class CodexHookTrustTest {
    private static final String REAL_DIR = "/tmp/cx/h/codex";
    @TempDir
    Path home;
    private Path codexHome;
    private Map<String, String> env;

    @BeforeEach
    void fixture() throws IOException {
        codexHome = Files.createDirectories(home.resolve("codex"));
        Files.writeString(codexHome.resolve("hooks.json"), resource("hooks.json"));
        Files.writeString(codexHome.resolve("config.toml"), resource("config.toml").replace(REAL_DIR, codexHome.toString()));
        env = Map.of("CODEX_HOME", codexHome.toString());
    }

    private HookTrust trust() {
        return AgentClients.installed().of(HookClient.CODEX).hookTrust(home, env, null).orElseThrow();
    }

    @Test
    void theHashesCodexWroteAreTheOnesComputed() {
        HookTrust t = trust();
        assertThat(t.hooks()).extracting(HookTrust.Hook::event)
                .containsExactly("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop");
        assertThat(t.hooks()).allSatisfy(h -> assertThat(h.state()).isEqualTo(State.TRUSTED));
        assertThat(t.allTrusted()).isTrue();
        assertThat(t.summary()).isEqualTo("all 5 trusted");
    }

    @Test
    void aChangedCommandANewHookAndADisabledOneAreNamed() throws IOException {
        Path hooks = codexHome.resolve("hooks.json");
        Files.writeString(hooks, Files.readString(hooks).replace("Stop?v=3", "Stop?v=4"));
        Path config = codexHome.resolve("config.toml");
        String text = Files.readString(config);
        text = text.replaceFirst("(?s)\\[hooks\\.state\\.\"[^\"]*:user_prompt_submit:0:0\"\\]\\ntrusted_hash = \"[^\"]*\"\\n", "");
        text = text.replace(":session_start:0:0\"]\n", ":session_start:0:0\"]\nenabled = false\n");
        Files.writeString(config, text);
        HookTrust t = trust();
        assertThat(t.hooks()).extracting(HookTrust.Hook::state)
                .containsExactly(State.DISABLED, State.NEW, State.TRUSTED, State.TRUSTED, State.CHANGED);
        assertThat(t.allTrusted()).isFalse();
        assertThat(t.summary()).isEqualTo("2 of 5 trusted; not run: SessionStart (disabled), UserPromptSubmit (not trusted yet),"
                + " Stop (changed since it was trusted)");
        assertThat(t.advice()).contains("Trust all and continue", "/hooks", "--dangerously-bypass-hook-trust");
    }

    @Test
    void trustIsKeyedByPosition() throws IOException {
        // another tool's group before huddle's PreToolUse group: huddle's is now group 1, which nobody trusted
        Path hooks = codexHome.resolve("hooks.json");
        String text = Files.readString(hooks);
        text = text.replace("\"PreToolUse\": [", "\"PreToolUse\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"true\"}]},");
        Files.writeString(hooks, text);
        assertThat(trust().hooks()).filteredOn(h -> h.event().equals("PreToolUse")).extracting(HookTrust.Hook::state)
                .containsExactly(State.NEW);
    }

    @Test
    void noHooksNoAnswer() throws IOException {
        Files.delete(codexHome.resolve("hooks.json"));
        assertThat(AgentClients.installed().of(HookClient.CODEX).hookTrust(home, env, null)).isEmpty();
    }

    @Test
    void eventLabelsAndTheCanonicalForm() {
        assertThat(CodexHookTrust.label("UserPromptSubmit")).isEqualTo("user_prompt_submit");
        assertThat(CodexHookTrust.label("Stop")).isEqualTo("stop");
        assertThat(CodexHookTrust.canonical(Map.of("b", List.of(1L, true), "a", "x\"\\\n\u0001/é")))
                .isEqualTo("{\"a\":\"x\\\"\\\\\\n\\u0001/é\",\"b\":[1,true]}");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CodexHookTrustTest.class.getResourceAsStream("/codex/trust/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
