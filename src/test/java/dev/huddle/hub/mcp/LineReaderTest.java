package dev.huddle.hub.mcp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    private static List<LineReader.Line> readAll(byte[] input, int max) throws IOException {
        // a stream that returns few bytes per read, to exercise buffer boundaries
        var in = new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        LineReader r = new LineReader(in, max);
        List<LineReader.Line> out = new ArrayList<>();
        for (LineReader.Line l; (l = r.next()) != null; ) out.add(l);
        return out;
    }

    @Property(tries = 200)
    void splitsLikeStringSplit(@ForAll @Size(max = 6) List<@StringLength(max = 40) String> lines) throws IOException {
        List<String> clean = lines.stream().map(s -> s.replace("\n", "").replace("\r", "")).toList();
        String joined = String.join("\n", clean) + "\n";
        List<String> read = readAll(joined.getBytes(StandardCharsets.UTF_8), 1 << 20).stream().map(LineReader.Line::text).toList();
        assertThat(read).isEqualTo(clean.isEmpty() ? List.of("") : clean);
    }

    @Property(tries = 100)
    void oversizedLinesAreFlaggedAndTheNextLineSurvives(@ForAll @IntRange(min = 11, max = 5000) int size) throws IOException {
        String big = "{\"id\":7,\"x\":\"" + "a".repeat(size) + "\"}";
        byte[] input = (big + "\n{\"ok\":1}\n").getBytes(StandardCharsets.UTF_8);
        List<LineReader.Line> lines = readAll(input, 10);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).oversized()).isTrue();
        assertThat(lines.get(0).text()).startsWith("{\"id\":7");
        assertThat(lines.get(1)).isEqualTo(new LineReader.Line("{\"ok\":1}", false));
    }

    @Test
    void lastLineWithoutNewlineAndCrlf() throws IOException {
        assertThat(readAll("a\r\nb".getBytes(), 100)).extracting(LineReader.Line::text).containsExactly("a", "b");
        assertThat(readAll(new byte[0], 100)).isEmpty();
    }

    @Test
    void sniffsIdsFromBrokenLines() {
        assertThat(McpSessions.sniffId("{\"jsonrpc\":\"2.0\",\"id\": 42, \"params\":{\"x\":\"aaaa")).isEqualTo(42L);
        assertThat(McpSessions.sniffId("{\"id\":\"abc\\\"d\",")).isEqualTo("abc\"d");
        assertThat(McpSessions.sniffId("{\"method\":\"x\"")).isNull();
    }
}
