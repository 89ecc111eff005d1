package dev.huddle.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted Anthropic Messages API on 127.0.0.1 for driving the real Claude Code CLI offline
 * ({@code ANTHROPIC_BASE_URL=}{@link #baseUrl()}). {@code POST /v1/messages} answers with the API's server-sent events
 * (or one JSON message when the request does not stream). Requests of the main conversation (they carry tools) go to
 * the script, a function of the request, so each test says "after this tool result, call that tool"; side requests
 * (title generation, quota checks: no tools) get a short end_turn text. Every {@code /v1/messages} request is recorded.
 * Other paths answer harmlessly ({@code count_tokens} with a token count, anything else {@code {}}), so the client
 * never hangs. One instance per Claude Code session keeps the sessions' conversations apart.
 */
public final class ScriptedModel implements AutoCloseable {
    /** What the model answers. */
    public sealed interface Reply {
        /** Ends the turn with text. */
        record Text(String text) implements Reply {}

        /** Asks the client to run a tool ({@code stop_reason: tool_use}). */
        record ToolUse(String name, Map<String, Object> input, String text) implements Reply {}

        static Reply text(String text) {
            return new Text(text);
        }

        static Reply tool(String name, Map<String, Object> input) {
            return new ToolUse(name, input, null);
        }
    }

    /** One recorded {@code /v1/messages} request, with the time it arrived. */
    public record Request(int seq, String path, Map<String, Object> body, String raw, java.time.Instant at) {
        public String model() {
            return Json.str(body, "model");
        }

        /** Main-conversation requests carry the tool list; side requests (titles, quota) do not. */
        public boolean main() {
            return body.get("tools") instanceof List<?> l && !l.isEmpty();
        }

        public List<Object> messages() {
            Object m = body.get("messages");
            return m instanceof List<?> l ? Json.list(body, "messages") : List.of();
        }

        /** The names of the tools offered to the model. */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            if (body.get("tools") instanceof List<?> l) for (Object t : l) names.add(Json.str(t, "name"));
            return names;
        }

        /** The tool_use blocks the assistant sent so far, oldest first, as {@code name}. */
        public List<String> toolUsesSoFar() {
            List<String> names = new ArrayList<>();
            for (Object m : messages()) {
                if (!"assistant".equals(Json.str(m, "role")) || !(Json.at(m, "content") instanceof List<?> blocks)) continue;
                for (Object b : blocks) if ("tool_use".equals(Json.str(b, "type"))) names.add(Json.str(b, "name"));
            }
            return names;
        }

        /** The last tool the assistant called, or null. */
        public String lastToolUse() {
            List<String> all = toolUsesSoFar();
            return all.isEmpty() ? null : all.getLast();
        }

        /** The text of the last message (a user turn: prompt, tool results, reminders), all blocks joined. */
        public String lastMessageText() {
            List<Object> ms = messages();
            return ms.isEmpty() ? "" : textOf(ms.getLast());
        }

        /** Whether the whole request (system prompt, messages) contains {@code s}. */
        public boolean contains(String s) {
            return raw.contains(s) || Json.write(body).contains(s);
        }

        private static String textOf(Object message) {
            Object content = Json.at(message, "content");
            if (content instanceof String s) return s;
            StringBuilder sb = new StringBuilder();
            if (content instanceof List<?> blocks) {
                for (Object b : blocks) {
                    Object text = Json.at(b, "text");
                    if (text != null) sb.append(text).append('\n');
                    Object inner = Json.at(b, "content"); // tool_result
                    if (inner instanceof String s) sb.append(s).append('\n');
                    else if (inner instanceof List<?> l) for (Object i : l) if (Json.at(i, "text") != null) sb.append(Json.str(i, "text")).append('\n');
                }
            }
            return sb.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<Request, Reply> script;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> otherRequests = new CopyOnWriteArrayList<>();
    private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    private ScriptedModel(Function<Request, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ScriptedModel start(Function<Request, Reply> script) {
        try {
            return new ScriptedModel(script);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every {@code /v1/messages} request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The main-conversation requests (those the script answered). */
    public List<Request> mainRequests() {
        return requests.stream().filter(Request::main).toList();
    }

    /** The method and path of every request to another endpoint. */
    public List<String> otherRequests() {
        return List.copyOf(otherRequests);
    }

    /** Exceptions the script threw (answered to the client as an API error). */
    public List<Throwable> scriptFailures() {
        return List.copyOf(scriptFailures);
    }

    /** A readable dump for failure messages: each request's kind, model, and last message text (shortened). */
    public String describe() {
        StringBuilder sb = new StringBuilder("scripted model at " + baseUrl() + ": " + requests.size() + " request(s)\n");
        for (Request r : requests) {
            String last = r.lastMessageText();
            if (last.length() > 1500) last = last.substring(0, 1500) + "...";
            sb.append("  #").append(r.seq()).append(r.main() ? " main " : " side ").append(r.model())
                    .append(" tools-so-far=").append(r.toolUsesSoFar())
                    .append(" messages=").append(r.messages().size())
                    .append(" huddle-tools-offered=").append(r.toolNames().stream().filter(n -> n.startsWith("mcp__huddle__")).count())
                    .append("\n    last message: ")
                    .append(last.replace("\n", "\n    ")).append('\n');
        }
        if (!otherRequests.isEmpty()) sb.append("  other: ").append(otherRequests).append('\n');
        for (Throwable t : scriptFailures) sb.append("  script failed: ").append(t).append('\n');
        return sb.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] in = ex.getRequestBody().readAllBytes();
            if ("POST".equals(ex.getRequestMethod()) && path.equals("/v1/messages")) {
                messages(ex, new String(in, StandardCharsets.UTF_8));
            } else if (path.equals("/v1/messages/count_tokens")) {
                otherRequests.add(ex.getRequestMethod() + " " + path);
                json(ex, 200, Map.of("input_tokens", 100));
            } else {
                otherRequests.add(ex.getRequestMethod() + " " + path);
                if ("HEAD".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(200, -1);
                } else {
                    json(ex, 200, Map.of());
                }
            }
        }
    }

    private void messages(HttpExchange ex, String raw) throws IOException {
        Map<String, Object> body;
        try {
            body = Json.object(raw);
        } catch (RuntimeException e) {
            json(ex, 400, apiError("invalid_request_error", "not JSON: " + e.getMessage()));
            return;
        }
        Request r = new Request(seq.incrementAndGet(), ex.getRequestURI().toString(), body, raw, java.time.Instant.now());
        requests.add(r);
        Reply reply;
        if (r.main()) {
            try {
                reply = script.apply(r);
            } catch (RuntimeException | Error e) {
                scriptFailures.add(e);
                json(ex, 500, apiError("api_error", "test script failed: " + e));
                return;
            }
        } else {
            reply = Reply.text("Scripted side answer.");
        }
        String model = r.model() == null ? "claude-scripted" : r.model();
        if (Boolean.TRUE.equals(body.get("stream"))) stream(ex, model, reply);
        else json(ex, 200, message(model, reply));
    }

    private Map<String, Object> message(String model, Reply reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "msg_scripted_" + ids.incrementAndGet());
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        List<Object> content = new ArrayList<>();
        switch (reply) {
            case Reply.Text t -> content.add(Map.of("type", "text", "text", t.text()));
            case Reply.ToolUse u -> {
                if (u.text() != null) content.add(Map.of("type", "text", "text", u.text()));
                content.add(Map.of("type", "tool_use", "id", toolUseId(), "name", u.name(), "input", u.input()));
            }
        }
        m.put("content", content);
        m.put("stop_reason", reply instanceof Reply.ToolUse ? "tool_use" : "end_turn");
        m.put("stop_sequence", null);
        m.put("usage", Map.of("input_tokens", 100, "output_tokens", 20));
        return m;
    }

    private void stream(HttpExchange ex, String model, Reply reply) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        Map<String, Object> start = message(model, reply);
        start.put("content", List.of());
        start.put("stop_reason", null);
        start.put("usage", Map.of("input_tokens", 100, "output_tokens", 1));
        event(out, "message_start", Map.of("type", "message_start", "message", start));
        int index = 0;
        String text = switch (reply) {
            case Reply.Text t -> t.text();
            case Reply.ToolUse u -> u.text();
        };
        if (text != null) {
            event(out, "content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "text", "text", "")));
            event(out, "content_block_delta", Map.of("type", "content_block_delta", "index", index,
                    "delta", Map.of("type", "text_delta", "text", text)));
            event(out, "content_block_stop", Map.of("type", "content_block_stop", "index", index));
            index++;
        }
        if (reply instanceof Reply.ToolUse u) {
            event(out, "content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "tool_use", "id", toolUseId(), "name", u.name(), "input", Map.of())));
            event(out, "content_block_delta", Map.of("type", "content_block_delta", "index", index,
                    "delta", Map.of("type", "input_json_delta", "partial_json", Json.write(u.input()))));
            event(out, "content_block_stop", Map.of("type", "content_block_stop", "index", index));
        }
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", reply instanceof Reply.ToolUse ? "tool_use" : "end_turn");
        delta.put("stop_sequence", null);
        event(out, "message_delta", Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", 20)));
        event(out, "message_stop", Map.of("type", "message_stop"));
        out.flush();
    }

    private String toolUseId() {
        return "toolu_scripted_" + ids.incrementAndGet();
    }

    private static void event(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, Object> apiError(String type, String message) {
        return Map.of("type", "error", "error", Map.of("type", type, "message", message));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
