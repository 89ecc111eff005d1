package dev.huddle.hub.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-delimited lines with a byte cap. A line over the cap is consumed to its end and reported as
 * oversized with its first bytes kept (enough to find a JSON-RPC id), so one huge line never costs more than
 * the cap in memory and the stream stays usable.
 */
public final class LineReader {
    /**
     * One line; when {@code oversized}, {@code text} holds only its first bytes; {@code malformed} means the bytes
     * were not valid UTF-8 (then {@code text} has replacement characters and must not be trusted).
     */
    public record Line(String text, boolean oversized, boolean malformed) {
        Line(String text, boolean oversized) {
            this(text, oversized, false);
        }
    }

    private static final int PREFIX_KEPT = 4096;
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int len;

    public LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its '\n' (a trailing '\r' is dropped), or null at end of stream. */
    public Line next() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        boolean oversized = false;
        boolean any = false;
        while (true) {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < len && buf[pos] != '\n') pos++;
            int chunk = pos - start;
            if (!oversized) {
                if (n + chunk > maxBytes) {
                    oversized = true;
                    int keep = Math.max(0, Math.min(chunk, PREFIX_KEPT - n));
                    line = ensure(line, n + keep);
                    System.arraycopy(buf, start, line, n, keep);
                    n += keep;
                } else {
                    line = ensure(line, n + chunk);
                    System.arraycopy(buf, start, line, n, chunk);
                    n += chunk;
                }
            }
            if (pos < len) { // found '\n'
                pos++;
                break;
            }
        }
        if (n > 0 && line[n - 1] == '\r') n--;
        if (oversized) return new Line(new String(line, 0, n, StandardCharsets.UTF_8), true, false);
        try {
            return new Line(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(line, 0, n)).toString(), false, false);
        } catch (java.nio.charset.CharacterCodingException e) {
            return new Line(new String(line, 0, n, StandardCharsets.UTF_8), false, true);
        }
    }

    private static byte[] ensure(byte[] a, int size) {
        if (size <= a.length) return a;
        return Arrays.copyOf(a, Math.max(size, a.length * 2));
    }
}
