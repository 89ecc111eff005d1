package dev.huddle.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 POST over a Unix socket, JDK only: what {@code huddle hook} sends where curl is missing, and
 * what the hook benchmark uses to read the hub's timing header. The hub answers with a Content-Length, so a
 * response is complete when its body is in; reading stops there rather than waiting for the server to close.
 */
public final class UnixHttp {
    /**
     * A complete response.
     *
     * @param headers header names in lower case
     */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private UnixHttp() {}

    /** POSTs {@code body} with {@code headers} (Host, Connection and Content-Length are added); null when the answer is torn. */
    public static Response post(Path socket, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: huddle\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            write(ch, head.toString().getBytes(StandardCharsets.US_ASCII));
            write(ch, body);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            Response r = null;
            while (r == null && ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
                r = parse(out.toByteArray());
            }
            return r;
        }
    }

    /** The response in {@code bytes} if it is complete (headers and a Content-Length body), else null. */
    static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return null;
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) return null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length;
        try {
            length = Integer.parseInt(headers.getOrDefault("content-length", "-1"));
            int status = Integer.parseInt(statusLine[1]);
            int start = end + 4;
            if (length < 0 || bytes.length - start < length) return null; // torn or unknown length: say nothing rather than half
            byte[] body = new byte[length];
            System.arraycopy(bytes, start, body, 0, length);
            return new Response(status, headers, body);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }
}
