package dev.huddle.agents.codex;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON-RPC connection to Codex's app-server on its control socket ({@code codex app-server --listen unix://}, the
 * daemon every Codex TUI of a {@code CODEX_HOME} shares, 0.169): a WebSocket (RFC 6455) over the Unix socket, one
 * JSON-RPC message per text frame, as {@code codex app-server proxy} relays it. Blocking and single-threaded: the
 * caller bounds the whole exchange with a deadline and closes the socket when it passes.
 */
final class AppServerSocket implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A JSON-RPC error answer. */
    static final class RpcError extends Exception {
        final long code;

        RpcError(long code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private long nextId = 1;

    private AppServerSocket(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects (a Unix socket connects at once, or not at all); {@link #upgrade()} comes next. */
    static AppServerSocket connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new AppServerSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends a request and returns its {@code result}, skipping the notifications that come first. */
    JsonNode call(String method, Map<String, Object> params) throws IOException, RpcError {
        long id = nextId++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        m.put("params", params);
        send(JSON.writeValueAsString(m));
        while (true) {
            JsonNode msg = JSON.readTree(receive());
            if (!msg.path("id").isIntegralNumber() || msg.path("id").asLong() != id) continue; // a notification, or a server request
            if (msg.has("error")) throw new RpcError(msg.path("error").path("code").asLong(), msg.path("error").path("message").asString(""));
            return msg.path("result");
        }
    }

    /** Sends a notification. */
    void notify(String method) throws IOException {
        send(JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "method", method)));
    }

    /** The WebSocket handshake. */
    void upgrade() throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        write(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            if (head.size() > 16 * 1024) throw new IOException("the app-server's handshake answer is too long");
            head.write(readByte());
        }
        String answer = head.toString(StandardCharsets.ISO_8859_1);
        if (!answer.startsWith("HTTP/1.1 101")) throw new IOException("the app-server refused the WebSocket: " + answer.lines().findFirst().orElse(""));
        String accept = Base64.getEncoder().encodeToString(sha1(key + WEBSOCKET_GUID));
        if (!answer.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: " + accept.toLowerCase(Locale.ROOT))) {
            throw new IOException("the app-server's WebSocket answer does not match the handshake");
        }
    }

    /** One text frame, masked as a client's must be. */
    private void send(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65_536) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) frame.put((byte) (payload[i] ^ mask[i & 3]));
        write(frame.flip());
    }

    /** The next text message: fragments joined, pings answered, a close frame an error. */
    private String receive() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = readByte(), b1 = readByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = (len << 8) | readByte();
            }
            if (len > MAX_MESSAGE_BYTES || message.size() + len > MAX_MESSAGE_BYTES) throw new IOException("an app-server message is too large");
            byte[] mask = (b1 & 0x80) != 0 ? new byte[]{(byte) readByte(), (byte) readByte(), (byte) readByte(), (byte) readByte()} : null;
            byte[] payload = new byte[(int) len];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) (readByte() ^ (mask == null ? 0 : mask[i & 3]));
            int opcode = b0 & 0x0F;
            switch (opcode) {
                case 0x8 -> throw new IOException("the app-server closed the connection");
                case 0x9 -> sendControl(0xA, payload);
                case 0xA -> { } // pong
                default -> {
                    message.writeBytes(payload);
                    if ((b0 & 0x80) != 0) return message.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    private void sendControl(int opcode, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 6);
        frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).put(new byte[4]).put(payload); // zero mask
        write(frame.flip());
    }

    private int readByte() throws IOException {
        if (!in.hasRemaining()) {
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) throw new IOException("the app-server closed the connection");
        }
        return in.get() & 0xFF;
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    private static byte[] sha1(String s) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
