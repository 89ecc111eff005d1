package dev.huddle.cli;

import dev.huddle.wire.HubPaths;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code huddle hook <client> <event>}: the hook for machines without curl. Does what the curl command does (POST
 * stdin to the hub's hook endpoint with the agent's pid) and fails open the same way: any failure, or no answer
 * within the time limit, means exit 0 and no output. Uses only the JDK, before picocli loads.
 */
public final class HookMain {
    private static final long TIME_LIMIT_MS = 2_000;
    private static final int MAX_PAYLOAD = 32 << 20;

    private HookMain() {}

    /** args: {@code hook <client> <event> [--hook-version N]}. 0, or 2 when a rewake waiter wakes the agent. */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream stdout) {
        if (args.length < 3 || !args[1].matches("[a-z]{1,16}") || !args[2].matches("[A-Za-z]{1,40}")) {
            System.err.println("usage: huddle hook <claude|codex|gemini> <Event> (run by the agent client with the event on stdin)");
            return 0;
        }
        long agentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        if (args[2].equals("Rewake")) return rewake(args, env, stdin, agentPid);
        CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
            try {
                byte[] payload = stdin.readNBytes(MAX_PAYLOAD + 1);
                if (payload.length > MAX_PAYLOAD) return null;
                return post(HubPaths.fromEnvironment(env).httpSocket(), "/hooks/" + args[1] + "/" + args[2], agentPid, payload);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
        try {
            byte[] body = answer.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS);
            if (body != null && body.length > 0) {
                stdout.write(body);
                stdout.write('\n');
                stdout.flush();
            }
        } catch (Exception e) {
            // fail open: the agent goes on without huddle's answer
        }
        return 0;
    }

    /**
     * The rewake waiter without curl (see HookCommands.rewake): long-polls until the hub answers; mail goes to
     * stderr with exit 2 (Claude Code's asyncRewake wakes the agent with it), an empty answer ends quietly, a hub
     * that is away or asks to poll again is polled again every 5 s for up to a day.
     */
    private static int rewake(String[] args, Map<String, String> env, InputStream stdin, long agentPid) {
        try {
            byte[] payload = stdin.readNBytes(MAX_PAYLOAD + 1);
            if (payload.length > MAX_PAYLOAD) return 0;
            long end = System.currentTimeMillis() + 86_400_000L;
            while (System.currentTimeMillis() < end) {
                byte[] body;
                try {
                    body = post(HubPaths.fromEnvironment(env).httpSocket(), "/hooks/" + args[1] + "/" + args[2], agentPid, payload);
                } catch (IOException e) {
                    body = null;
                }
                if (body != null) {
                    if (body.length == 0) return 0;
                    System.err.write(body);
                    System.err.println();
                    System.err.flush();
                    return 2;
                }
                Thread.sleep(5_000);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A minimal HTTP/1.1 POST over the Unix socket; the body of a 200 answer, else null. */
    static byte[] post(java.nio.file.Path socket, String path, long pid, byte[] payload) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String head = "POST " + path + " HTTP/1.1\r\nHost: huddle\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "X-Huddle-Pid: " + pid + "\r\nContent-Length: " + payload.length + "\r\n\r\n";
            write(ch, head.getBytes(StandardCharsets.US_ASCII));
            write(ch, payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            // Stop as soon as the whole answer is in: do not depend on the server closing the connection.
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
                if (complete(out.toByteArray())) break;
            }
            return bodyOf200(out.toByteArray());
        }
    }

    private static boolean complete(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        int length = contentLength(text.substring(0, end));
        return length >= 0 && response.length - (end + 4) >= length;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }

    /** The body of a complete 200 response with Content-Length (what the hub sends), else null. */
    static byte[] bodyOf200(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || !text.startsWith("HTTP/1.1 200")) return null;
        int length = contentLength(text.substring(0, end));
        int start = end + 4;
        if (length < 0 || response.length - start < length) return null; // torn: say nothing rather than half
        byte[] body = new byte[length];
        System.arraycopy(response, start, body, 0, length);
        return body;
    }
}
