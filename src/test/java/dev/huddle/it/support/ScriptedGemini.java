package dev.huddle.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted Gemini API on 127.0.0.1 for driving the real Gemini CLI offline ({@code GOOGLE_GEMINI_BASE_URL=}
 * {@link #baseUrl()}; real-clients-offline.md). {@code POST /v1beta/models/<model>:streamGenerateContent?alt=sse} is the
 * conversation: the script, a function of the request, answers it (text, or a function call such as
 * {@code mcp_huddle_send_message}) as one server-sent event. The side requests get what the CLI can parse without a
 * script: {@code :generateContent} with a {@code responseJsonSchema} (the model router, the next-speaker and loop
 * checks) gets JSON shaped to that schema (an enum's first value: the router picks flash, the next speaker is the user;
 * integers 1, numbers 0: no loop), without one a short text; {@code :countTokens} a count; anything else {@code {}}.
 * Every request is recorded with the time it arrived (what the wake figures measure to). One instance per Gemini
 * session keeps the sessions' conversations apart.
 */
public final class ScriptedGemini implements AutoCloseable {
    /** What the model answers. */
    public sealed interface Reply {
        /** Ends the turn with text. */
        record Text(String text) implements Reply {}

        /** Asks the client to run a tool (a built-in such as {@code write_file}, or {@code mcp_huddle_<tool>}). */
        record Call(String name, Map<String, Object> args) implements Reply {}

        static Reply text(String text) {
            return new Text(text);
        }

        static Reply call(String name, Map<String, Object> args) {
            return new Call(name, args);
        }
    }

    /** Which endpoint a request went to. */
    public enum Kind { STREAM, GENERATE, COUNT_TOKENS, OTHER }

    private static final Pattern MODEL_METHOD = Pattern.compile("/v1beta/models/([^/:]+):(\\w+)");

    /** One recorded request, with the time it arrived. */
    public record Request(int seq, Kind kind, String model, String path, Map<String, Object> body, String raw, Instant at) {
        /** The conversation ({@code contents}: role {@code user} or {@code model}, each with {@code parts}). */
        public List<Object> contents() {
            return body.get("contents") instanceof List<?> ? Json.list(body, "contents") : List.of();
        }

        /** The names of the function declarations offered to the model. */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            if (body.get("tools") instanceof List<?> tools) {
                for (Object t : tools) {
                    if (Json.at(t, "functionDeclarations") instanceof List<?> fs) for (Object f : fs) names.add(Json.str(f, "name"));
                }
            }
            return names;
        }

        /** The function calls the model made so far, oldest first, by name. */
        public List<String> callsSoFar() {
            List<String> names = new ArrayList<>();
            for (Object c : contents()) {
                if (!"model".equals(Json.str(c, "role"))) continue;
                for (Object p : parts(c)) if (Json.at(p, "functionCall") != null) names.add(Json.str(p, "functionCall", "name"));
            }
            return names;
        }

        /** The turns the model ended with text so far (its contents without a function call). */
        public int turnsDone() {
            int n = 0;
            for (Object c : contents()) {
                if ("model".equals(Json.str(c, "role")) && parts(c).stream().noneMatch(p -> Json.at(p, "functionCall") != null)) n++;
            }
            return n;
        }

        /** Whether the last content is the result of a call to {@code name}. */
        public boolean answers(String name) {
            List<Object> cs = contents();
            return !cs.isEmpty() && parts(cs.getLast()).stream().anyMatch(p -> name.equals(Json.str(p, "functionResponse", "name")));
        }

        /** The newest result of a call to {@code name}, as JSON ({@code {"output": …}} or {@code {"error": …}}), or null. */
        public String resultOf(String name) {
            List<Object> cs = contents();
            for (int i = cs.size() - 1; i >= 0; i--) {
                for (Object p : parts(cs.get(i))) {
                    if (name.equals(Json.str(p, "functionResponse", "name"))) return Json.write(Json.at(p, "functionResponse", "response"));
                }
            }
            return null;
        }

        /** The text of the last content, all parts joined (a prompt, a continuation, or tool results as JSON). */
        public String lastText() {
            List<Object> cs = contents();
            return cs.isEmpty() ? "" : textOf(cs.getLast());
        }

        /** The user contents' text parts (prompts, hook context, continuations), oldest first. */
        public List<String> userTexts() {
            List<String> out = new ArrayList<>();
            for (Object c : contents()) {
                if (!"user".equals(Json.str(c, "role"))) continue;
                for (Object p : parts(c)) if (Json.at(p, "text") != null) out.add(Json.str(p, "text"));
            }
            return out;
        }

        /** Whether the request (system instruction, contents, tools) contains {@code s}. */
        public boolean contains(String s) {
            return raw.contains(s) || Json.write(body).contains(s);
        }

        private static List<Object> parts(Object content) {
            return Json.at(content, "parts") instanceof List<?> ? Json.list(content, "parts") : List.of();
        }

        static String textOf(Object content) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts(content)) {
                if (Json.at(p, "text") != null) sb.append(Json.str(p, "text")).append('\n');
                if (Json.at(p, "functionResponse") != null) sb.append(Json.write(Json.at(p, "functionResponse"))).append('\n');
                if (Json.at(p, "functionCall") != null) sb.append("call ").append(Json.write(Json.at(p, "functionCall"))).append('\n');
            }
            return sb.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<Request, Reply> script;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    private ScriptedGemini(Function<Request, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ScriptedGemini start(Function<Request, Reply> script) {
        try {
            return new ScriptedGemini(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code GOOGLE_GEMINI_BASE_URL} is set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The conversation's requests ({@code streamGenerateContent}: the ones the script answered). */
    public List<Request> mainRequests() {
        return requests.stream().filter(r -> r.kind() == Kind.STREAM).toList();
    }

    /** Exceptions the script threw (answered to the client as an API error it does not retry). */
    public List<Throwable> scriptFailures() {
        return List.copyOf(scriptFailures);
    }

    /** A readable dump for failure messages: each request's kind, model, calls so far and last content (shortened). */
    public String describe() {
        StringBuilder sb = new StringBuilder("scripted Gemini at " + baseUrl() + ": " + requests.size() + " request(s)\n");
        for (Request r : requests) {
            sb.append("  #").append(r.seq()).append(' ').append(r.at()).append(' ').append(r.kind()).append(' ').append(r.model());
            if (r.kind() == Kind.STREAM) {
                String last = r.lastText();
                if (last.length() > 1500) last = last.substring(0, 1500) + "...";
                sb.append(" calls-so-far=").append(r.callsSoFar()).append("\n    last content: ").append(last.replace("\n", "\n    "));
            }
            sb.append('\n');
        }
        for (Throwable t : scriptFailures) sb.append("  script failed: ").append(t).append('\n');
        return sb.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] in = ex.getRequestBody().readAllBytes();
            Instant at = Instant.now();
            String path = ex.getRequestURI().getPath();
            Matcher m = MODEL_METHOD.matcher(path);
            Kind kind = !m.matches() ? Kind.OTHER : switch (m.group(2)) {
                case "streamGenerateContent" -> Kind.STREAM;
                case "generateContent" -> Kind.GENERATE;
                case "countTokens" -> Kind.COUNT_TOKENS;
                default -> Kind.OTHER;
            };
            String raw = new String(in, StandardCharsets.UTF_8);
            Map<String, Object> body;
            try {
                body = raw.isBlank() ? Map.of() : Json.object(raw);
            } catch (RuntimeException e) {
                json(ex, 400, apiError(400, "INVALID_ARGUMENT", "not JSON: " + e.getMessage()));
                return;
            }
            Request r = new Request(seq.incrementAndGet(), kind, m.matches() ? m.group(1) : null, ex.getRequestURI().toString(), body, raw, at);
            requests.add(r);
            switch (kind) {
                case STREAM -> stream(ex, r);
                case GENERATE -> json(ex, 200, response(List.of(Map.of("text", sideAnswer(body)))));
                case COUNT_TOKENS -> json(ex, 200, Map.of("totalTokens", 100));
                case OTHER -> json(ex, 200, Map.of());
            }
        }
    }

    private void stream(HttpExchange ex, Request r) throws IOException {
        Reply reply;
        try {
            reply = script.apply(r);
        } catch (RuntimeException | Error e) {
            scriptFailures.add(e);
            // 400: Gemini CLI retries 429 and 5xx with back-off, which would only slow the failure down
            json(ex, 400, apiError(400, "INVALID_ARGUMENT", "test script failed: " + e));
            return;
        }
        Map<String, Object> part = switch (reply) {
            case Reply.Text t -> Map.of("text", t.text());
            case Reply.Call c -> Map.of("functionCall", Map.of("name", c.name(), "args", c.args()));
        };
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(("data: " + Json.write(response(List.of(part))) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Map<String, Object> response(List<Map<String, Object>> parts) {
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("content", Map.of("role", "model", "parts", parts));
        candidate.put("finishReason", "STOP");
        candidate.put("index", 0);
        return Map.of("candidates", List.of(candidate),
                "usageMetadata", Map.of("promptTokenCount", 100, "candidatesTokenCount", 20, "totalTokenCount", 120));
    }

    /** A side request's answer: JSON shaped to its schema when it asks for JSON, else a short text. */
    private static String sideAnswer(Map<String, Object> body) {
        Object schema = Json.at(body, "generationConfig", "responseJsonSchema");
        if (schema == null) schema = Json.at(body, "generationConfig", "responseSchema");
        return schema == null ? "Scripted side answer." : Json.write(shapedTo(schema));
    }

    /** A value of the schema's shape: every property, an enum's first value, "scripted", 1, 0, false, []. */
    static Object shapedTo(Object schema) {
        String type = String.valueOf(Json.at(schema, "type")).toLowerCase(Locale.ROOT);
        if (Json.at(schema, "enum") instanceof List<?> values && !values.isEmpty()) return values.getFirst();
        if ("object".equals(type) || Json.at(schema, "properties") instanceof Map<?, ?>) {
            Map<String, Object> o = new LinkedHashMap<>();
            if (Json.at(schema, "properties") instanceof Map<?, ?> props) props.forEach((k, v) -> o.put(String.valueOf(k), shapedTo(v)));
            return o;
        }
        return switch (type) {
            case "string" -> "scripted";
            case "integer" -> 1;
            case "number" -> 0;
            case "boolean" -> false;
            case "array" -> List.of();
            default -> null;
        };
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, Object> apiError(int code, String status, String message) {
        return Map.of("error", Map.of("code", code, "status", status, "message", message));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
