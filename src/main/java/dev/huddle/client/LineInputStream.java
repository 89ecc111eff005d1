package dev.huddle.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A buffered stream of a hub connection that also reads lines, scanning its buffer rather than asking for one byte at
 * a time: a control reply can be several MiB on one line. The bytes after a line stay buffered for the next reader of
 * this same stream, so a connection hands this stream, never the raw channel's, to whoever reads on.
 */
public final class LineInputStream extends BufferedInputStream {
    /** A line longer than the reader's limit. */
    public static final class LineTooLongException extends IOException {
        LineTooLongException(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    public LineInputStream(InputStream in) {
        super(in, 1 << 16);
    }

    /** The next line without its {@code '\n'}, as UTF-8; null at end of input; throws when it is over {@code max} bytes. */
    public synchronized String readLine(int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            int b = read(); // refills the buffer when it is empty
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            int start = pos - 1; // b, then the rest of the buffer up to the next newline
            int end = pos;
            while (end < count && buf[end] != '\n') end++;
            if (line.size() + (end - start) > max) throw new LineTooLongException(max);
            line.write(buf, start, end - start);
            pos = end; // a newline found is read on the next round
        }
    }
}
