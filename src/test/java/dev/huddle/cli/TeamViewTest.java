package dev.huddle.cli;

import dev.huddle.cli.view.TeamView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.Team;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TeamViewTest {
    @Test
    void showsEachMachineAndWhySilentOnesAreOffline() {
        Team t = new Team(true, "postgresql://huddle@db:5432/team", "laptop", 8, List.of(
                new Team.Machine("devbox", false, "0.9.0", 4242L, "2026-12-07T13:00:00Z", "2026-12-07T13:59:48Z", 12_000L, true,
                        "machine devbox silent since 2026-12-07T13:59:48Z (no hub heartbeat for 12 s)", 3L, -40L, 1250L, 0, 2),
                new Team.Machine("laptop", true, "0.9.0", 77L, "2026-12-07T13:10:00Z", "2026-12-07T13:59:59Z", 900L, false, null,
                        1L, 5L, null, 1, 1)), null);
        String out = TeamView.render(t, new TerminalStyle(false));
        assertThat(out).doesNotContain("\u001b[").contains("Shared store: postgresql://huddle@db:5432/team");
        assertThat(out).containsPattern("devbox +silent +0\\.9\\.0 +4242 +12\\.0 s ago +1\\.3 ms +3 ms +-40 ms +0 online / 2")
                .containsPattern("laptop \\(this\\) +up +0\\.9\\.0 +77 +0\\.9 s ago +- +1 ms +5 ms +1 online / 1")
                .contains("machine devbox silent since 2026-12-07T13:59:48Z");
    }

    @Test
    void aLocalStoreSaysHowToJoinATeam() {
        Team t = new Team(false, "/home/u/.huddle/huddle.db", null, 8, List.of(), "run `huddle team join postgresql://…`");
        assertThat(TeamView.render(t, new TerminalStyle(false)))
                .isEqualTo("Local store: /home/u/.huddle/huddle.db\nrun `huddle team join postgresql://…`\n");
    }
}
