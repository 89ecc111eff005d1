package dev.huddle.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StatusView} and {@link StatusCommand}'s pure parts, from fixtures of the hub's status_report. */
class StatusViewTest {
    static Map<String, Object> agent(String label, boolean online, String state, long age, int unread, List<Object> waitsFor, boolean onCycle) {
        return Map.of("label", label, "client_type", "claude-code", "online", online,
                "activity", Map.of("state", state, "age_s", age), "unread", unread, "waits_for", waitsFor, "on_cycle", onCycle);
    }

    static final Map<String, Object> STUCK = Map.of(
            "max_obligation_age_ms", 60_000, "healthy", false, "problems", List.of("deadlock", "stranded_mail", "stale_obligation"),
            "projects", List.of(Map.of("project_root", "/home/me/src/a-rather-long-repository-name-for-this-project",
                    "agents", List.of(
                            agent("reviewer-with-a-very-long-name (6f1c2a9e)", true, "idle", 125, 0, List.of("builder (0a1b2c3d)"), true),
                            agent("builder (0a1b2c3d)", true, "busy", 30, 1, List.of("reviewer-with-a-very-long-name (6f1c2a9e)", "tester (99887766)"), true),
                            agent("tester (99887766)", false, "unknown", 0, 3, List.of(), false)),
                    "waits", List.of(
                            Map.of("from", "reviewer-with-a-very-long-name (6f1c2a9e)", "to", "builder (0a1b2c3d)", "age_s", 300, "asks", 1, "obligations", 0, "on_cycle", true),
                            Map.of("from", "builder (0a1b2c3d)", "to", "reviewer-with-a-very-long-name (6f1c2a9e)", "age_s", 240, "asks", 1, "obligations", 2, "on_cycle", true),
                            Map.of("from", "builder (0a1b2c3d)", "to", "tester (99887766)", "age_s", 4000, "asks", 0, "obligations", 1, "on_cycle", false)),
                    "cycles", List.of(List.of("reviewer-with-a-very-long-name (6f1c2a9e)", "builder (0a1b2c3d)")),
                    "stranded", List.of(Map.of("agent", "tester (99887766)", "count", 3, "age_s", 4000)),
                    "stale_obligations", List.of(Map.of("from", "builder (0a1b2c3d)", "to", "tester (99887766)", "message_id", "0123456789abcdef", "age_s", 4000)))));

    @Test
    void showsAgentsWaitsAndEachProblemWithinEightyColumns() {
        String out = StatusView.render(STUCK, new TerminalStyle(false), 80);
        assertThat(out).doesNotContain("\u001b[");
        assertThat(out.lines()).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(80));
        assertThat(out).contains("AGENT", "CLIENT", "STATE", "UNREAD", "WAITS FOR")
                .containsPattern("builder \\(0a1b2c3d\\) +claude-code +busy 30s +1  reviewer")
                .containsPattern("tester \\(99887766\\) +claude-code +offline +3  -")
                .contains("    1h    1 obligation: builder (0a1b2c3d) → tester (99887766)")
                .contains("    4m    1 ask, 2 obligations, cycle: builder (0a1b2c3d) → reviewer-with-a-ver")
                .contains("! deadlock: reviewer-with-a-very-long-name (6f1c2a9e) → builder (0a1b2c3d) → …")
                .contains("! stranded: 3 unread for tester (99887766) (offline), oldest 1h")
                .contains("! stale obligation 0123456789abcdef open 1h: builder (0a1b2c3d) → tester (99")
                .contains("problems: deadlock, stranded mail, stale obligation (--check exits 5)");
        assertThat(out.lines().filter(l -> l.endsWith("…"))).isNotEmpty(); // the long project path and deadlock line were cut
    }

    @Test
    void colourOnlyWhenAsked() {
        assertThat(StatusView.render(STUCK, new TerminalStyle(true), 80)).contains("\u001b[31m");
    }

    @Test
    void aHealthyProjectSaysSo() {
        String out = StatusView.render(Map.of("max_obligation_age_ms", 1_800_000, "healthy", true, "problems", List.of(),
                "projects", List.of(Map.of("project_root", "/r", "agents", List.of(), "waits", List.of(), "cycles", List.of(),
                        "stranded", List.of(), "stale_obligations", List.of()))), new TerminalStyle(false), 80);
        assertThat(out).isEqualTo("/r  (0 agents)\n  no agents\nhealthy: no wait cycle, no stranded mail, no obligation open longer than 30m\n");
    }

    @Test
    void checkExitCodesFollowTheDocumentedOrder() {
        assertThat(StatusCommand.exitCode(List.of())).isZero();
        assertThat(StatusCommand.exitCode(List.of("stale_obligation"))).isEqualTo(7);
        assertThat(StatusCommand.exitCode(List.of("stranded_mail", "stale_obligation"))).isEqualTo(6);
        assertThat(StatusCommand.exitCode(List.of("deadlock", "stranded_mail"))).isEqualTo(5);
    }

    @Test
    void durations() {
        assertThat(StatusCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(StatusCommand.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(StatusCommand.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(StatusCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(StatusCommand.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(StatusCommand.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(StatusCommand.parseDuration("-PT1M")).isNull();
        assertThat(StatusCommand.parseDuration("soon")).isNull();
    }
}
