package dev.huddle.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PsTableTest {
    @Test
    void rendersOneTablePerProjectWithoutColourWhenAsked() {
        Map<String, Object> agent = Map.of("handle", "6f1c2a9e", "name", "reviewer", "client_type", "claude-code",
                "online", true, "bound", true, "activity", Map.of("state", "busy", "age_s", 125),
                "terminal", Map.of("label", "tmux dev:%3"), "purpose", "reviewing the parser");
        Map<String, Object> unbound = Map.of("handle", "p-3b9a01c2", "client_type", "gemini", "online", false,
                "bound", false, "activity", Map.of("state", "unknown"));
        String out = PsTable.render(Map.of("projects", List.of(
                Map.of("project_root", "/repo", "agents", List.of(agent, unbound)),
                Map.of("project_root", "/empty", "agents", List.of()))), new TerminalStyle(false));
        assertThat(out).doesNotContain("\u001b[");
        assertThat(out.lines().toList()).contains(
                "/repo  (2 agents)",
                "/empty  (0 agents)");
        assertThat(out).containsPattern("6f1c2a9e +reviewer +claude-code +online +busy 2m +tmux dev:%3 +reviewing")
                .contains("HANDLE").contains("busy 2m").contains("tmux dev:%3")
                .contains("reviewing the parser").contains("offline,unbound").contains("no agents yet");
    }

    @Test
    void agesAreShort() {
        assertThat(PsTable.age(5)).isEqualTo("5s");
        assertThat(PsTable.age(3599)).isEqualTo("59m");
        assertThat(PsTable.age(7200)).isEqualTo("2h");
        assertThat(PsTable.age(200000)).isEqualTo("2d");
    }
}
