package dev.huddle.client.front;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The agent's stdin, line by line, each at most a bound: what is beyond it is dropped and reported. */
final class AgentLines {
    private AgentLines() {}

    /**
     * The next line without its '\n', null at end of input; an oversized line is handed (its first {@code max}
     * bytes) to {@code oversized} and comes back empty.
     */
    static byte[] read(InputStream in, int max, Consumer<String> oversized) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0 && !tooLong) return null;
                break;
            }
            if (b == '\n') break;
            if (buf.size() < max) buf.write(b);
            else tooLong = true;
        }
        if (tooLong) {
            oversized.accept(buf.toString(StandardCharsets.UTF_8));
            return new byte[0];
        }
        return buf.toByteArray();
    }
}
