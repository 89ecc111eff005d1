package dev.huddle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void aHubRunWithItsOwnFlagsSkipsPicocliAndAnythingElseGoesThroughIt() {
        assertThat(Main.isPlainHubRun(new String[] {"hub", "run"})).isTrue();
        assertThat(Main.isPlainHubRun(new String[] {"hub", "run", "--detached"})).isTrue();
        assertThat(Main.isPlainHubRun(new String[] {"hub", "run", "--detached", "--ahead"})).as("hub start's hub").isTrue();
        assertThat(Main.isPlainHubRun(new String[] {"hub", "run", "--help"})).isFalse();
        assertThat(Main.isPlainHubRun(new String[] {"hub", "start"})).isFalse();
    }
}
