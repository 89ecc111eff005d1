package dev.huddle.agents.transcript;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file's lines from its end towards its start, one chunk at a time, so reading the last lines of a 1 GiB
 * transcript costs what reading them from a 10 KB one does. The file is taken as it is when opened: bytes a writer
 * appends later are not seen. Lines are split at {@code \n} (a {@code \r} before it is dropped); blank lines are
 * skipped. A last line without its {@code \n} may be half-written: {@link #torn()} says so. Bytes are not decoded,
 * so invalid UTF-8 costs nothing here. A line longer than {@link #MAX_LINE_BYTES} is skipped and counted, never held.
 *
 * <p>After {@link #next()} returned true, the line is {@code array()[offset(), offset() + length())}, valid until
 * the next call.
 */
public final class ReverseLineReader implements AutoCloseable {
    public static final int DEFAULT_CHUNK = 64 * 1024;
    /** Lines longer than this (a tool result of tens of megabytes) are skipped rather than buffered. */
    public static final int MAX_LINE_BYTES = 32 << 20;

    private final FileChannel channel;
    private final long size;
    private final int chunk;
    private final int maxLine;
    private byte[] buf;
    private int lo;          // unreturned bytes are buf[lo, hi) ...
    private int hi;
    private long bufStart;   // ... and buf[lo] is the file's byte at this offset
    private boolean discarding;
    private boolean endsWithNewline;
    private int lineOffset;
    private int lineLength;
    private long linePosition;
    private boolean lineTorn;
    private int skippedOversized;

    private ReverseLineReader(FileChannel channel, int chunk, int maxLine) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.chunk = Math.max(16, chunk);
        this.maxLine = Math.max(this.chunk, maxLine);
        this.buf = new byte[this.chunk * 2];
        this.lo = buf.length;
        this.hi = buf.length;
        this.bufStart = size;
        if (size > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            readFully(last, size - 1);
            endsWithNewline = last.get(0) == '\n';
        }
    }

    public static ReverseLineReader open(Path file) throws IOException {
        return open(file, DEFAULT_CHUNK, MAX_LINE_BYTES);
    }

    public static ReverseLineReader open(Path file, int chunk, int maxLine) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new ReverseLineReader(ch, chunk, maxLine);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The file's size when it was opened: nothing after it is read. */
    public long size() {
        return size;
    }

    /** Moves to the previous non-blank line; false at the start of the file. */
    public boolean next() throws IOException {
        while (true) {
            if (discarding) {
                int nl = lastNewline(lo, hi);
                if (nl >= 0) {
                    hi = nl;
                    discarding = false;
                    continue;
                }
                hi = lo; // the oversized line's bytes are dropped as they come
                if (bufStart == 0) return false;
                readChunk();
                continue;
            }
            int nl = lastNewline(lo, hi);
            if (nl >= 0 || bufStart == 0) {
                int start = nl >= 0 ? nl + 1 : lo;
                int end = hi;
                long endPos = bufStart + (end - lo);
                hi = nl >= 0 ? nl : lo;
                if (end > start && buf[end - 1] == '\r') end--;
                if (end <= start) {
                    if (nl < 0) return false;
                    continue; // a blank line
                }
                lineOffset = start;
                lineLength = end - start;
                linePosition = bufStart + (start - lo);
                lineTorn = endPos == size && !endsWithNewline;
                return true;
            }
            if (hi - lo >= maxLine) {
                skippedOversized++;
                discarding = true;
                continue;
            }
            readChunk();
        }
    }

    /** Prepends the chunk of the file before {@code bufStart} to the unreturned bytes. */
    private void readChunk() throws IOException {
        int n = (int) Math.min(chunk, bufStart);
        int pending = hi - lo;
        if (lo < n) {
            int capacity = buf.length;
            while (capacity - pending < n) capacity *= 2; // only a line longer than the buffer grows it
            byte[] target = capacity == buf.length ? buf : new byte[capacity];
            System.arraycopy(buf, lo, target, capacity - pending, pending);
            buf = target;
            hi = capacity;
            lo = capacity - pending;
        }
        readFully(ByteBuffer.wrap(buf, lo - n, n), bufStart - n);
        lo -= n;
        bufStart -= n;
    }

    private void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int r = channel.read(dst, pos);
            if (r < 0) throw new EOFException("the file became shorter while it was read (rotated or truncated?)");
            pos += r;
        }
    }

    private int lastNewline(int from, int to) {
        for (int i = to - 1; i >= from; i--) if (buf[i] == '\n') return i;
        return -1;
    }

    public byte[] array() {
        return buf;
    }

    public int offset() {
        return lineOffset;
    }

    public int length() {
        return lineLength;
    }

    /** The file offset of the current line's first byte. */
    public long position() {
        return linePosition;
    }

    /** The current line is the file's last and has no {@code \n}: it may still be being written. */
    public boolean torn() {
        return lineTorn;
    }

    /** The current line, decoded (invalid UTF-8 becomes U+FFFD). */
    public String text() {
        return new String(buf, lineOffset, lineLength, StandardCharsets.UTF_8);
    }

    /** Bytes read so far, from the end of the file. */
    public long bytesScanned() {
        return size - bufStart;
    }

    /** Whether every line of the file has been returned or skipped. */
    public boolean atStart() {
        if (bufStart != 0) return false;
        for (int i = lo; i < hi; i++) if (buf[i] != '\n' && buf[i] != '\r') return false;
        return true;
    }

    /** Lines skipped for being longer than the limit. */
    public int skippedOversized() {
        return skippedOversized;
    }

    /** Reads {@code length} bytes at {@code position} (a line seen earlier), without moving the reverse scan. */
    public byte[] readAt(long position, int length) throws IOException {
        byte[] out = new byte[length];
        readFully(ByteBuffer.wrap(out), position);
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
