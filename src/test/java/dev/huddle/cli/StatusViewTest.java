package dev.huddle.cli;

import dev.huddle.cli.view.StatusView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StatusView} and the pure parts of {@link StatusCommand} and its options, from fixtures of the hub's status_report. */
class StatusViewTest {
    static String agent(String label, boolean online, String state, long age, int unread, String waitsFor, boolean onCycle) {
        return "{\"label\":\"" + label + "\",\"client_type\":\"claude-code\",\"online\":" + online + ",\"activity\":{\"state\":\""
                + state + "\",\"age_s\":" + age + "},\"unread\":" + unread + ",\"waits_for\":[" + waitsFor + "],\"on_cycle\":" + onCycle + "}";
    }

    static final StatusReport STUCK = Json.read("""
            {"max_obligation_age_ms":60000,"healthy":false,"problems":["deadlock","stranded_mail","stale_obligation"],
             "projects":[{"project_root":"/home/me/src/a-rather-long-repository-name-for-this-project",
               "agents":[%s,%s,%s],
               "waits":[
                 {"from":"reviewer-with-a-very-long-name (6f1c2a9e)","to":"builder (0a1b2c3d)","age_s":300,"asks":1,"obligations":0,"on_cycle":true},
                 {"from":"builder (0a1b2c3d)","to":"reviewer-with-a-very-long-name (6f1c2a9e)","age_s":240,"asks":1,"obligations":2,"on_cycle":true},
                 {"from":"builder (0a1b2c3d)","to":"tester (99887766)","age_s":4000,"asks":0,"obligations":1,"on_cycle":false}],
               "cycles":[["reviewer-with-a-very-long-name (6f1c2a9e)","builder (0a1b2c3d)"]],
               "stranded":[{"agent":"tester (99887766)","count":3,"age_s":4000}],
               "stale_obligations":[{"from":"builder (0a1b2c3d)","to":"tester (99887766)","message_id":"0123456789abcdef","age_s":4000}]}]}
            """.formatted(
            agent("reviewer-with-a-very-long-name (6f1c2a9e)", true, "idle", 125, 0, "\"builder (0a1b2c3d)\"", true),
            agent("builder (0a1b2c3d)", true, "busy", 30, 1, "\"reviewer-with-a-very-long-name (6f1c2a9e)\",\"tester (99887766)\"", true),
            agent("tester (99887766)", false, "unknown", 0, 3, "", false)), StatusReport.class);

    private static String render(StatusReport r, TerminalStyle style) {
        return StatusView.render(r, style, 80, StatusCommand.exitCode(r.problems()));
    }

    @Test
    void showsAgentsWaitsAndEachProblemWithinEightyColumns() {
        String out = render(STUCK, new TerminalStyle(false));
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
        assertThat(render(STUCK, new TerminalStyle(true))).contains("\u001b[31m");
    }

    @Test
    void aHealthyProjectSaysSo() {
        String out = render(Json.read("""
                {"max_obligation_age_ms":1800000,"healthy":true,"problems":[],"projects":[{"project_root":"/r","agents":[],"waits":[],
                 "cycles":[],"stranded":[],"stale_obligations":[]}]}""", StatusReport.class), new TerminalStyle(false));
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
        assertThat(MaxObligationAgeOption.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(MaxObligationAgeOption.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(MaxObligationAgeOption.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(MaxObligationAgeOption.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(MaxObligationAgeOption.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(MaxObligationAgeOption.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(MaxObligationAgeOption.parseDuration("-PT1M")).isNull();
        assertThat(MaxObligationAgeOption.parseDuration("soon")).isNull();
    }
}
