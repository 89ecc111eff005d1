package dev.huddle.terminal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WakeTextTest {
    @Test
    void makesOneLineWithoutControlsOrEscapes() {
        assertThat(WakeText.sanitize("read\nyour\r\nmessages\tnow")).isEqualTo("read your messages now");
        assertThat(WakeText.sanitize("a\u001B[31mred\u001B[0m b")).isEqualTo("ared b");
        assertThat(WakeText.sanitize("t\u001B]0;title\u0007x\u001B]8;;http://e\u001B\\y")).isEqualTo("txy");
        assertThat(WakeText.sanitize("bell\u0007 nul\u0000 del\u007F c1\u009B2J end\u001B")).isEqualTo("bell nul del c1 end");
        assertThat(WakeText.sanitize("evil\u202Eoverride\u2066x")).isEqualTo("eviloverridex");
        assertThat(WakeText.sanitize("  spaced   out  ")).isEqualTo("spaced out");
        assertThat(WakeText.sanitize(null)).isEmpty();
        assertThat(WakeText.sanitize("\u001B[2J\n\t")).isEmpty();
    }

    @Test
    void capsTheLengthInCodePoints() {
        String s = WakeText.sanitize("😀".repeat(50), 10);
        assertThat(s.codePointCount(0, s.length())).isEqualTo(10);
        assertThat(s).endsWith("…").startsWith("😀😀");
        assertThat(WakeText.sanitize("x".repeat(5_000))).hasSize(WakeText.MAX_CHARS);
    }

    @Test
    void aTrailingSemicolonSurvivesTmuxArgumentParsing() {
        assertThat(WakeText.tmuxArgument("done;")).isEqualTo("done\\;");
        assertThat(WakeText.tmuxArgument("a;b")).isEqualTo("a;b");
    }
}
