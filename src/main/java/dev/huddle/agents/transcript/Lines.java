package dev.huddle.agents.transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A file's lines from its start, split as {@link ReverseLineReader} splits them (for whole-file reads and tests). */
public final class Lines {
    private Lines() {}

    public static List<byte[]> forward(byte[] bytes) {
        return forward(bytes, ReverseLineReader.MAX_LINE_BYTES);
    }

    /** Lines split at {@code \n}, a trailing {@code \r} dropped, blank lines and lines of {@code maxLine} bytes or more skipped. */
    public static List<byte[]> forward(byte[] bytes, int maxLine) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i;
                if (end > start && bytes[end - 1] == '\r') end--;
                if (end > start && i - start < maxLine) out.add(Arrays.copyOfRange(bytes, start, end));
                start = i + 1;
            }
        }
        return out;
    }
}
