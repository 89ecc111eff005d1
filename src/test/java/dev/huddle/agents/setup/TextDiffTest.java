package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextDiffTest {
    @Test
    void showsChangedLinesWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String after = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";
        assertThat(TextDiff.unified(before, after)).isEqualTo("""
                @@ line 2 @@
                 b
                 c
                -d
                +D
                 e
                 f
                @@ line 7 @@
                 g
                 h
                +i
                """);
        assertThat(TextDiff.unified(null, "{}\n")).isEqualTo("@@ line 1 @@\n+{}\n");
        assertThat(TextDiff.unified("x\n", "x\n")).isEmpty();
    }
}
