package dev.huddle.it.support;

import dev.huddle.protocol.Hello;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.HelloLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw connection to the hub's socket: the test writes any bytes and reads reply lines with timeouts. A reader
 * thread turns the stream into lines; the end of the stream is reported as {@link #EOF}.
 */
public final class RawHubSocket implements AutoCloseable {
    /** What {@link #readLine} returns once the hub closed the connection. */
    public static final String EOF = "\u0000EOF";

    private final SocketChannel channel;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private RawHubSocket(SocketChannel channel) {
        this.channel = channel;
        Thread.ofVirtual().start(this::read);
    }

    public static RawHubSocket connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new RawHubSocket(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket, e);
        }
    }

    private void read() {
        try {
            InputStream in = Channels.newInputStream(channel);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int k = 0; k < n; k++) {
                    if (chunk[k] == '\n') {
                        lines.add(buf.toString(StandardCharsets.UTF_8));
                        buf.reset();
                    } else {
                        buf.write(chunk[k]);
                    }
                }
            }
        } catch (IOException ignored) {
            // closed
        }
        lines.add(EOF);
    }

    /**
     * The hello this build writes for {@code kind} "mcp" or "control", in {@code /tmp}, as a map the raw tests bend
     * (callers add op, ppid, cwd as needed, or break it on purpose).
     */
    public static Map<String, Object> hello(String kind) {
        Hello typed = Hello.MCP.equals(kind) ? Hello.front(null, null, "/tmp", null) : Hello.control(null, null, "/tmp");
        return new LinkedHashMap<>(MiniJson.parseObject(HelloLine.of(typed)));
    }

    public void sendLine(String line) {
        send((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) channel.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #send}, but a connection the hub already closed is reported instead of thrown. */
    public boolean trySend(byte[] bytes) {
        try {
            send(bytes);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** The next line, {@link #EOF} at the end of the stream; fails after {@code timeout}. */
    public String readLine(Duration timeout) {
        try {
            String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (l == null) throw new AssertionError("no line from the hub within " + timeout);
            if (EOF.equals(l)) lines.add(EOF); // stays at EOF
            return l;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Map<String, Object> readJson(Duration timeout) {
        String l = readLine(timeout);
        if (EOF.equals(l)) throw new AssertionError("the hub closed the connection instead of answering");
        return Json.object(l);
    }

    /** Reads lines until one is a JSON-RPC response with this id (skipping anything else). */
    public Map<String, Object> readResponse(Object id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Map<String, Object> m = readJson(Duration.ofMillis(left));
            if (!m.containsKey("method") && String.valueOf(m.get("id")).equals(String.valueOf(id))) return m;
        }
    }

    /** True when the hub closes the connection within {@code timeout} (lines before that are skipped). */
    public boolean awaitEof(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String l;
            try {
                l = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (EOF.equals(l)) {
                lines.add(EOF);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
