package dev.huddle.cli;

import dev.huddle.cli.view.PsTable;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PsTableTest {
    @Test
    void rendersOneTablePerProjectWithoutColourWhenAsked() {
        String agent = """
                {"handle":"6f1c2a9e","name":"reviewer","client_type":"claude-code","online":true,"bound":true,
                 "activity":{"state":"busy","age_s":125},"terminal":{"label":"tmux dev:%3"},"purpose":"reviewing the parser"}""";
        String unbound = """
                {"handle":"p-3b9a01c2","client_type":"gemini","online":false,"bound":false,"activity":{"state":"unknown"}}""";
        AgentList ps = Json.read("{\"projects\":[{\"project_root\":\"/repo\",\"agents\":[" + agent + "," + unbound + "]},"
                + "{\"project_root\":\"/empty\",\"agents\":[]}]}", AgentList.class);
        String out = PsTable.render(ps, new TerminalStyle(false));
        assertThat(out).doesNotContain("\u001b[");
        assertThat(out.lines().toList()).contains(
                "/repo  (2 agents)",
                "/empty  (0 agents)");
        assertThat(out).containsPattern("6f1c2a9e +reviewer +claude-code +online +busy 2m +tmux dev:%3 +reviewing")
                .contains("HANDLE").contains("busy 2m").contains("tmux dev:%3")
                .contains("reviewing the parser").contains("offline,unbound").contains("no agents yet");
    }

    @Test
    void anAgentShownOfflineForItsMachinesSilenceSaysSoUnderTheTable() {
        String agent = """
                {"handle":"6f1c2a9e","name":"bob","client_type":"codex","online":false,"bound":true,
                 "offline_reason":"machine devbox silent since 2026-12-07T14:12:26Z (no hub heartbeat for 9 s)"}""";
        AgentList ps = Json.read("{\"projects\":[{\"project_root\":\"github.com/acme/app\",\"agents\":[" + agent + "]}]}", AgentList.class);
        assertThat(PsTable.render(ps, new TerminalStyle(false)).lines().toList())
                .contains("  6f1c2a9e offline: machine devbox silent since 2026-12-07T14:12:26Z (no hub heartbeat for 9 s)");
    }

    @Test
    void agesAreShort() {
        assertThat(PsTable.age(5)).isEqualTo("5s");
        assertThat(PsTable.age(3599)).isEqualTo("59m");
        assertThat(PsTable.age(7200)).isEqualTo("2h");
        assertThat(PsTable.age(200000)).isEqualTo("2d");
    }

    @Test
    void aProjectNamedAcrossMachinesShowsWhereItLivesHereAPathProjectOnlyItsPath() {
        AgentList named = new AgentList("github.com/acme/payments",
                List.of(new AgentList.Project("github.com/acme/payments", "/home/me/payments", List.of())), 0);
        assertThat(PsTable.render(named, new TerminalStyle(false)).lines().findFirst().orElseThrow())
                .isEqualTo("github.com/acme/payments  (0 agents)  here: /home/me/payments");
        AgentList path = new AgentList("/home/me/payments", List.of(new AgentList.Project("/home/me/payments", null, List.of())), 0);
        assertThat(PsTable.render(path, new TerminalStyle(false)).lines().findFirst().orElseThrow())
                .isEqualTo("/home/me/payments  (0 agents)");
    }
}
