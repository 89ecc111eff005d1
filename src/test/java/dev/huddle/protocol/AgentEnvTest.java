package dev.huddle.protocol;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one allowlist of what a front forwards, and what each part of the hub takes from it. */
class AgentEnvTest {
    /** Every variable on the list, and some that are not. */
    private static Map<String, String> everything() {
        Map<String, String> env = new HashMap<>();
        for (AgentEnv v : AgentEnv.values()) env.put(v.name(), "v-" + v.name());
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("OPENAI_API_KEY", "secret");
        env.put("SSH_AUTH_SOCK", "/tmp/agent");
        return env;
    }

    @Test
    void theFrontForwardsTheAllowlistAndNothingElse() {
        Map<String, String> sent = AgentEnv.forwarded(everything());
        assertThat(sent).hasSize(AgentEnv.values().length).doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY", "SSH_AUTH_SOCK");
        assertThat(sent).as("what the front forwarded before it had one list").containsKeys("CLAUDECODE", "CLAUDE_CODE_SESSION_ID",
                "CLAUDE_PROJECT_DIR", "CODEX_HOME", "GEMINI_CLI", "TMUX", "TMUX_PANE", "TERM_PROGRAM", "WEZTERM_PANE", "KITTY_WINDOW_ID",
                "ZELLIJ", "ZELLIJ_SESSION_NAME", "STY", "CODEX_THREAD_ID", "GEMINI_SESSION_ID", "PATH", "HOME", "CLAUDE_CONFIG_DIR",
                "CLAUDE_CODE_PROJECT_DIR_NAME", "GEMINI_CLI_HOME");
        assertThat(sent).as("what the kitty, screen and WezTerm wakers address a pane by").containsKeys("KITTY_LISTEN_ON", "WINDOW",
                "WEZTERM_UNIX_SOCKET");
        assertThat(AgentEnv.forwarded(Map.of())).isEmpty();
    }

    @Test
    void theWakersGetTheTerminalVariables() {
        assertThat(AgentEnv.usedFor(AgentEnv.Use.TERMINAL, everything()).keySet()).containsExactlyInAnyOrder("TMUX", "TMUX_PANE",
                "TERM_PROGRAM", "WEZTERM_PANE", "WEZTERM_UNIX_SOCKET", "KITTY_WINDOW_ID", "KITTY_LISTEN_ON", "ZELLIJ", "ZELLIJ_SESSION_NAME",
                "STY", "WINDOW");
    }

    @Test
    void theHubKeepsWhatLocatesTranscriptsAndTheTmuxServer() {
        assertThat(AgentEnv.kept(everything()).keySet()).isEqualTo(Set.of("HOME", "CLAUDE_CONFIG_DIR", "CLAUDE_CODE_PROJECT_DIR_NAME",
                "CODEX_HOME", "GEMINI_CLI_HOME", "TMUX"));
        for (AgentEnv v : AgentEnv.values()) {
            assertThat(v.meaning()).as(v.name()).isNotBlank();
            assertThat(v.uses()).as(v.name()).isNotEmpty();
        }
    }

    @Test
    void aVariableIsReadByItsName() {
        Map<String, String> env = Map.of("STY", "123.x");
        assertThat(AgentEnv.STY.in(env)).isEqualTo("123.x");
        assertThat(AgentEnv.STY.isIn(env)).isTrue();
        assertThat(AgentEnv.WINDOW.in(env)).isNull();
        assertThat(AgentEnv.WINDOW.isIn(env)).isFalse();
    }
}
