package dev.huddle.core.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An offline agent's terminal is history, not a place (issue 15, item 11). */
class TerminalLocationTest {
    @Test
    void whileTheAgentRunsItIsWhereItIsAndOfflineWhereItWas() {
        TerminalLocation proven = new TerminalLocation("tmux", "alice", "%1", "0", true);
        assertThat(proven.label(true)).isEqualTo("tmux alice:%1");
        assertThat(proven.verified(true)).isTrue();
        assertThat(proven.label(false)).isEqualTo("was tmux alice:%1");
        assertThat(proven.verified(false)).as("the proof was about a live process in a live pane").isFalse();
        TerminalLocation reported = new TerminalLocation("wezterm", null, "4", null, false);
        assertThat(reported.label(true)).isEqualTo("wezterm 4 (reported)");
        assertThat(reported.label(false)).isEqualTo("was wezterm 4");
        assertThat(TerminalLocation.NONE.label(false)).isEqualTo("-");
    }
}
