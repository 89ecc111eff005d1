package dev.huddle.agents.codex;

import dev.huddle.agents.WakeRoute;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.terminal.WakeAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The turn/start route against a stand-in for Codex's app-server: a Unix socket at the control socket's place that
 * speaks what Codex 0.169's does (a WebSocket, JSON-RPC text frames, notifications before answers, pings). The real
 * one is driven in CodexTuiIT.
 */
class CodexTurnStartTest {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String THREAD = "01a24f5a-6785-7bf1-ad86-0feaa2898dc0";
    private static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";

    @TempDir
    Path tmp;
    private Path codexHome;
    private ServerSocketChannel server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void home() throws IOException {
        codexHome = Files.createDirectories(tmp.resolve("codex"));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
    }

    private CodexTurnStart route(Duration timeout) {
        return new CodexTurnStart(timeout, env -> Path.of(env.get("CODEX_HOME")));
    }

    private WakeAttempt wake(String thread) {
        return route(Duration.ofSeconds(3)).wake(new WakeRoute.Recipient(null, thread, Map.of("CODEX_HOME", codexHome.toString())), POINTER);
    }

    @Test
    void aLoadedThreadStartsATurnAndTheAnswerConfirmsIt() throws Exception {
        serve(req -> switch (req.path("method").asString()) {
            case "initialize" -> Map.of("result", Map.of("userAgent", "codex-tui/0.169.0"));
            case "turn/start" -> Map.of("result", Map.of("turn", Map.of("id", "01a24f5a-853a-7b52-9615-9093ef422dfe", "status", "inProgress")));
            default -> null;
        });
        WakeAttempt a = wake(THREAD);
        assertThat(a.status()).as(a.reason()).isEqualTo(WakeStatus.FIRED);
        assertThat(a.route()).isEqualTo("codex_turn_start");
        assertThat(a.reason()).contains("turn 01a24f5a-853a-7b52-9615-9093ef422dfe (inProgress) of thread " + THREAD);
        assertThat(received).extracting(r -> r.path("method").asString()).containsExactly("initialize", "initialized", "turn/start");
        JsonNode start = received.get(2).path("params");
        assertThat(start.path("threadId").asString()).isEqualTo(THREAD);
        assertThat(start.path("input").get(0).path("text").asString()).isEqualTo(POINTER);
        assertThat(start.path("input").get(0).path("type").asString()).isEqualTo("text");
    }

    @Test
    void aThreadTheAppServerHasNotLoadedIsLeftToTheNextRoute() throws Exception {
        serve(req -> switch (req.path("method").asString()) {
            case "initialize" -> Map.of("result", Map.of());
            case "turn/start" -> Map.of("error", Map.of("code", -32600, "message", "thread not found: " + THREAD));
            default -> null;
        });
        WakeAttempt a = wake(THREAD);
        assertThat(a.status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(a.reason()).contains("is not loaded in the app-server of " + codexHome);
    }

    @Test
    void anotherRefusalIsAFailure() throws Exception {
        serve(req -> switch (req.path("method").asString()) {
            case "initialize" -> Map.of("result", Map.of());
            case "turn/start" -> Map.of("error", Map.of("code", -32603, "message", "model unavailable"));
            default -> null;
        });
        WakeAttempt a = wake(THREAD);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("refused (-32603): model unavailable");
    }

    @Test
    void anAppServerThatDoesNotAnswerIsGivenUpAfterTheTimeout() throws Exception {
        serve(req -> null); // takes every message, answers none
        long t0 = System.nanoTime();
        WakeAttempt a = route(Duration.ofMillis(300)).wake(new WakeRoute.Recipient(null, THREAD, Map.of("CODEX_HOME", codexHome.toString())), POINTER);
        assertThat(a.status()).isEqualTo(WakeStatus.FAILED);
        assertThat(a.reason()).contains("did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void noSocketNoThreadNoRoute() {
        assertThat(wake(THREAD).status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
        assertThat(wake(THREAD).reason()).contains("no Codex app-server runs for " + codexHome);
        assertThat(wake(null).reason()).contains("no Codex thread id");
        assertThat(wake("not-a-thread").status()).isEqualTo(WakeStatus.SKIPPED_NO_ROUTE);
    }

    // ---- a stand-in app-server ----

    /** Serves connections at the control socket's place; {@code answer} returns a reply's body, or null for none. */
    private void serve(Function<JsonNode, Map<String, Object>> answer) throws IOException {
        Path socket = codexHome.resolve(CodexTurnStart.CONTROL_SOCKET);
        Files.createDirectories(socket.getParent());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.startVirtualThread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    converse(Channels.newInputStream(c), Channels.newOutputStream(c), answer);
                } catch (IOException e) {
                    // the test ended, or the route hung up
                }
            }
        });
    }

    private void converse(InputStream in, OutputStream out, Function<JsonNode, Map<String, Object>> answer) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) head.write(in.read());
        String key = head.toString(StandardCharsets.ISO_8859_1).lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                .findFirst().orElseThrow().substring(18).strip();
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: " + accept
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        frame(out, 0x9, new byte[]{1, 2}); // a ping first: the client answers it and goes on
        frame(out, 0x1, "{\"method\":\"configWarning\",\"params\":{}}".getBytes(StandardCharsets.UTF_8));
        while (true) {
            int b0 = in.read(), b1 = in.read();
            if (b0 < 0 || b1 < 0) return;
            int len = b1 & 0x7F;
            if (len == 126) len = (in.read() << 8) | in.read();
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes(len);
            for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
            if ((b0 & 0x0F) != 0x1) continue; // the pong
            JsonNode req = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
            received.add(req);
            Map<String, Object> body = answer.apply(req);
            if (body == null || !req.has("id")) continue;
            Map<String, Object> reply = new java.util.LinkedHashMap<>(body);
            reply.put("id", req.path("id").asLong());
            frame(out, 0x1, JSON.writeValueAsBytes(reply));
        }
    }

    private static void frame(OutputStream out, int opcode, byte[] payload) throws IOException {
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else {
            out.write(126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(payload);
        out.flush();
    }
}
