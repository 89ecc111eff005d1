package dev.huddle.protocol;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {
    @Test
    void escapeSequencesShowInCaretNotation() {
        assertThat(Printable.line("a\u001b[2Jb")).isEqualTo("a^[[2Jb");
        assertThat(Printable.line("\u001b]0;title\u0007")).isEqualTo("^[]0;title^G");
        assertThat(Printable.line("\u001b]52;c;aGk=\u001b\\")).isEqualTo("^[]52;c;aGk=^[\\");
        assertThat(Printable.line("del\u007f")).isEqualTo("del^?");
        assertThat(Printable.line("nul\u0000")).isEqualTo("nul^@");
    }

    @Test
    void c1ControlsBidiControlsAndLineSeparatorsShowAsCodePoints() {
        assertThat(Printable.line("\u009b31m")).isEqualTo("<U+009B>31m");
        assertThat(Printable.line("\u0085")).isEqualTo("<U+0085>");
        assertThat(Printable.line("abc\u202edef\u202c")).isEqualTo("abc<U+202E>def<U+202C>");
        assertThat(Printable.line("\u2066\u2067\u2068\u2069\u200e\u200f\u061c")).isEqualTo(
                "<U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+061C>");
        assertThat(Printable.line("a\u2028b\u2029c")).isEqualTo("a<U+2028>b<U+2029>c");
    }

    @Test
    void oneLineTextKeepsToOneLineAndLinesKeepTheirBreaks() {
        assertThat(Printable.line("a\tb\nc\r\nd")).isEqualTo("a b^Jc^M^Jd");
        assertThat(Printable.lines("a\tb\nc\r\nd\re")).isEqualTo("a\tb\nc\nd^Me");
        assertThat(Printable.line(null)).isEmpty();
    }

    @Test
    void ordinaryTextIsUntouchedAndTheSameObject() {
        String s = "reviewer (6f1c2a9e) · é 😀 ☃ שלום مرحبا — done";
        assertThat(Printable.line(s)).isSameAs(s);
        assertThat(Printable.lines("two\nlines\twith tab")).isEqualTo("two\nlines\twith tab");
    }

    @Test
    void theResultIsPrintableAndSanitizingTwiceChangesNothing() {
        String once = Printable.lines(HostileRecords.ATTACK);
        HostileRecords.assertPrintable("lines", once);
        HostileRecords.assertPrintable("line", Printable.line(HostileRecords.ATTACK));
        assertThat(Printable.lines(once)).isEqualTo(once);
        assertThat(Printable.line(Printable.line(HostileRecords.ATTACK))).isEqualTo(Printable.line(HostileRecords.ATTACK));
    }

    @Test
    void jsonEscapesTheSameCharactersAndKeepsTheDataExact() {
        String json = MiniJson.write(Map.of("body", HostileRecords.ATTACK));
        HostileRecords.assertPrintable("JSON", json);
        assertThat(json).contains("\\u001b[2J").contains("\\u202e").contains("\\u009b").contains("\\u2028");
        assertThat(MiniJson.parseObject(json)).containsEntry("body", HostileRecords.ATTACK);
    }
}
