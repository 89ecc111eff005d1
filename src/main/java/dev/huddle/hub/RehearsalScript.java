package dev.huddle.hub;

import dev.huddle.client.LineInputStream;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.protocol.Hello;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.HelloLine;
import dev.huddle.protocol.control.HubReply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The client side of a {@link Rehearsal}: what a Claude Code session's front sends the hub in its first seconds (the
 * hello, {@code initialize}, {@code list_project_sessions}, {@code read_my_messages}; {@code tools/list} the front
 * answers itself), written to the rehearsal's own socket, each answer read before the next request. It stops between steps once
 * {@code abandoned} says so; closing its channel from another thread ends a step that is waiting.
 */
final class RehearsalScript {
    /** The answers are small; a longer line means something is wrong, not that more should be read. */
    private static final int MAX_LINE = 1 << 20;
    private static final String CLAUDE_VERSION = "2.1.329";

    private final Path socket;
    private final Path cwd;
    private final BooleanSupplier abandoned;
    private volatile SocketChannel channel;

    RehearsalScript(Path socket, Path cwd, BooleanSupplier abandoned) {
        this.socket = socket;
        this.cwd = cwd;
        this.abandoned = abandoned;
    }

    /** Runs every step; false when it was abandoned on the way. Throws when an answer is not what a session gets. */
    boolean run() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel = ch;
            ch.connect(UnixDomainSocketAddress.of(socket));
            InputStream in = new LineInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            // No parent pid and no terminal: the rehearsal is nobody's agent process, even in its scratch store.
            Hello hello = Hello.front(null, null, cwd.toString(), Map.of(AgentEnv.CLAUDECODE.name(), "1",
                    AgentEnv.CLAUDE_CODE_SESSION_ID.name(), UUID.randomUUID().toString())).acknowledgingDeliveries(true);
            write(out, HelloLine.of(hello));
            if (!HubReply.parse(read(in)).ok()) throw new IOException("the rehearsal's hello was refused");
            StartTimeline.mark("rehearsal: hello");
            List<Step> steps = List.of(
                    new Step("initialize", request(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                            "clientInfo", Map.of("name", "claude-code", "version", CLAUDE_VERSION)))),
                    new Step("initialized", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    new Step("list_project_sessions", toolCall(2, "list_project_sessions")),
                    new Step("read_my_messages", toolCall(3, "read_my_messages")));
            for (Step step : steps) {
                if (abandoned.getAsBoolean()) return false;
                write(out, step.line());
                if (step.answered()) answered(read(in));
                StartTimeline.mark("rehearsal: " + step.name());
            }
            return true;
        } finally {
            channel = null;
        }
    }

    /** One line to the hub; a request (it has an id) is answered before the next step. */
    private record Step(String name, String line) {
        boolean answered() {
            return line.contains("\"id\":");
        }
    }

    /** Ends a step that waits for its answer (a real client connected: the rehearsal gives way). */
    void interrupt() {
        SocketChannel ch = channel;
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static String request(int id, String method, Map<String, Object> params) {
        return MiniJson.write(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
    }

    private static String toolCall(int id, String tool) {
        return request(id, "tools/call", Map.of("name", tool, "arguments", Map.of(),
                "_meta", Map.of("claudecode/toolUseId", "toolu_rehearsal_" + id)));
    }

    /** An answer a session would get: a result, and for a tool, not an error. */
    private static void answered(String line) throws IOException {
        Map<String, Object> m = MiniJson.parseObject(line);
        if (!(m.get("result") instanceof Map<?, ?> result)) throw new IOException("no result: " + line);
        if (Boolean.TRUE.equals(result.get("isError"))) throw new IOException("a tool failed: " + line);
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = dev.huddle.client.HubConnector.readLine(in, MAX_LINE);
        if (line == null) throw new IOException("the rehearsal's connection closed");
        return line;
    }
}
