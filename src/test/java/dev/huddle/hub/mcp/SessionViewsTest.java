package dev.huddle.hub.mcp;

import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.tools.Views;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** list_project_sessions and huddle ps show an offline agent's terminal as where it last ran (issue 15, item 11). */
class SessionViewsTest {
    private static final TerminalLocation TMUX = new TerminalLocation("tmux", "alice", "%1", "0", true);

    @Test
    void anOnlineAgentsTerminalIsAPlaceAndAnOfflineOnesIsHistory() {
        assertThat(SessionViews.terminal(TMUX, true))
                .isEqualTo(new Views.TerminalView("tmux", "alice", "%1", "0", true, "tmux alice:%1", null));
        assertThat(SessionViews.terminal(TMUX, false))
                .isEqualTo(new Views.TerminalView("tmux", "alice", "%1", "0", false, "was tmux alice:%1", true));
        assertThat(SessionViews.terminal(TerminalLocation.NONE, false)).isNull();
    }
}
