package dev.huddle.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineInputStreamTest {
    /** Hands out at most 7 bytes per read, like a socket that delivers a long line in pieces. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void readsLinesAcrossReadsAndKeepsWhatFollowsForTheNextReader() throws IOException {
        String big = "é".repeat(3 << 20); // 6 MiB of two-byte characters: longer than the buffer, split mid-character
        LineInputStream in = new LineInputStream(trickle(("{\"a\":1}\n" + big + "\nrest").getBytes(StandardCharsets.UTF_8)));
        assertThat(HubConnector.readLine(in, 64 << 20)).isEqualTo("{\"a\":1}");
        assertThat(in.readLine(64 << 20)).isEqualTo(big);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rest");
    }

    @Test
    void theLastLineNeedsNoNewlineAndTheEndIsNull() throws IOException {
        LineInputStream in = new LineInputStream(trickle("one\n\ntwo".getBytes(StandardCharsets.UTF_8)));
        assertThat(in.readLine(10)).isEqualTo("one");
        assertThat(in.readLine(10)).isEmpty();
        assertThat(in.readLine(10)).isEqualTo("two");
        assertThat(in.readLine(10)).isNull();
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndOneByteMoreDoesNot() throws IOException {
        assertThat(new LineInputStream(trickle("12345\n".getBytes(StandardCharsets.UTF_8))).readLine(5)).isEqualTo("12345");
        LineInputStream over = new LineInputStream(trickle("123456\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> over.readLine(5)).isInstanceOf(LineInputStream.LineTooLongException.class);
    }
}
