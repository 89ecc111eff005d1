package dev.huddle.tools.demo;

import dev.huddle.protocol.tools.Views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class SessionTableTest {

    private static Views.SessionView session(String handle, String name, String client, String binding, String cwd,
                                             String purpose, boolean me) {
        return new Views.SessionView(handle + "-0000", handle, name, client, !"unbound".equals(binding), binding, cwd, purpose,
                null, null, true, null, null, null, null, me);
    }

    @Test
    void rendersOneAlignedRowPerSessionAndMarksTheCaller() {
        Path root = Path.of("/r/app");
        List<Views.SessionView> result = List.of(
                session("aaaaaaaa", "reviewer", "claude-code", "env", "/r/app", "Reviews " + "x".repeat(80), true),
                session("p-bbbbbbbb", null, "codex", "unbound", "/r/app/src", null, false));
        List<String> lines = SessionTable.render(result, root).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("HANDLE").contains("BINDING").contains("PURPOSE");
        assertThat(lines.get(1)).startsWith("me  aaaaaaaa").contains("reviewer").contains(" . ").endsWith("…");
        assertThat(lines.get(2)).startsWith("    p-bbbbbbbb").contains(" - ").contains(" src");
        int column = lines.get(0).indexOf("CLIENT");
        assertThat(lines.get(1).indexOf("claude-code")).isEqualTo(column);
        assertThat(lines.get(2).indexOf("codex")).isEqualTo(column);
    }

    @Test
    void relativePaths() {
        Path root = Path.of("/r/app");
        assertThat(SessionTable.relative(root, "/r/app")).isEqualTo(".");
        assertThat(SessionTable.relative(root, "/r/app/src/x")).isEqualTo("src/x");
        assertThat(SessionTable.relative(root, "/elsewhere")).isEqualTo("/elsewhere");
        assertThat(SessionTable.relative(root, null)).isEqualTo("-");
    }

    @Test
    void zombiesAndExitedProcessesAreNotRunning() {
        assertThat(ProcessExits.running(ProcessHandle.current())).isTrue();
        assertThat(DemoScenario.causes(new RuntimeException("outer", new IllegalStateException("inner"))))
                .isEqualTo("java.lang.RuntimeException: outer ← java.lang.IllegalStateException: inner");
    }

    @Test
    void agentTextIsShownThroughTheSanitizer() {
        List<Views.SessionView> hostile = List.of(new dev.huddle.protocol.HostileRecords().of(Views.SessionView.class));
        dev.huddle.protocol.HostileRecords.assertPrintable("the demo's session table", SessionTable.render(hostile, Path.of("/r")));
    }
}
