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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted OpenAI Responses API on 127.0.0.1 for driving the real Codex CLI offline (its {@code model_providers}
 * entry with {@code base_url = }{@link #baseUrl()} and {@code wire_api = "responses"}): {@code POST /v1/responses}
 * answers with the API's server-sent events ({@code response.created}, {@code response.output_item.added} and
 * {@code .done}, {@code response.completed}); {@code GET /v1/models} lists nothing; anything else gets {@code {}}.
 *
 * <p>Requests of a conversation (they offer tools) go to a script, a function of the request, so a test says "after
 * this tool result, call that tool". One endpoint serves every session of a {@code CODEX_HOME} (Codex reads its
 * provider from {@code config.toml}): {@link #on} gives the sessions whose requests contain a marker (their prompt, say)
 * their own script. Side requests (thread titles: no tools) get a short text. Every request is recorded with its
 * arrival time and its thread ({@code client_metadata}), for the wake figures.
 */
public final class ScriptedResponses implements AutoCloseable {
    /** What the model answers. */
    public sealed interface Reply {
        /** Ends the turn with text. */
        record Text(String text) implements Reply {}

        /** A function call: a shell command ({@code exec_command}), or an MCP tool in its namespace ({@code mcp__huddle}). */
        record Call(String name, String namespace, Map<String, Object> arguments) implements Reply {}

        /** A freeform tool call ({@code apply_patch} with a model Codex knows): its raw input. */
        record Custom(String name, String input) implements Reply {}

        static Reply text(String text) {
            return new Text(text);
        }

        /** Codex's shell tool. */
        static Reply shell(String command) {
            return new Call("exec_command", null, Map.of("cmd", command));
        }

        /** One of huddle's tools, as Codex offers MCP tools (namespace {@code mcp__huddle}). */
        static Reply huddle(String tool, Map<String, Object> arguments) {
            return new Call(tool, "mcp__huddle", arguments);
        }

        /** The freeform apply_patch tool (offered with {@code -c model=gpt-5.5}). */
        static Reply patch(String patch) {
            return new Custom("apply_patch", patch);
        }
    }

    /** One recorded {@code /v1/responses} request, with when it arrived. */
    public record Request(int seq, Map<String, Object> body, String raw, Instant at) {
        /** Conversation requests offer tools; side requests (titles) do not. */
        public boolean main() {
            return body.get("tools") instanceof List<?> l && !l.isEmpty();
        }

        /** The Codex thread the request is for ({@code client_metadata}'s turn metadata). */
        public String threadId() {
            return Json.str(turnMetadata(), "thread_id");
        }

        public String turnId() {
            return Json.str(turnMetadata(), "turn_id");
        }

        private Map<String, Object> turnMetadata() {
            String m = Json.str(body, "client_metadata", "x-codex-turn-metadata");
            return m == null ? Map.of() : Json.object(m);
        }

        public List<Object> input() {
            return body.get("input") instanceof List<?> ? Json.list(body, "input") : List.of();
        }

        /** The names of the calls the model made so far in this conversation, oldest first. */
        public List<String> callsSoFar() {
            List<String> out = new ArrayList<>();
            for (Object i : input()) {
                String type = Json.str(i, "type");
                if ("function_call".equals(type) || "custom_tool_call".equals(type)) out.add(Json.str(i, "name"));
            }
            return out;
        }

        /** The text of the newest output of a call named {@code name} (a tool result), or null. */
        public String outputOf(String name) {
            String callId = null;
            for (Object i : input()) {
                String type = Json.str(i, "type");
                if (("function_call".equals(type) || "custom_tool_call".equals(type)) && name.equals(Json.str(i, "name"))) callId = Json.str(i, "call_id");
            }
            if (callId == null) return null;
            String out = null;
            for (Object i : input()) {
                String type = Json.str(i, "type");
                if (("function_call_output".equals(type) || "custom_tool_call_output".equals(type)) && callId.equals(Json.str(i, "call_id"))) {
                    out = textOf(Json.at(i, "output"));
                }
            }
            return out;
        }

        /** Whether the last item is a call's output (the model is to go on after a tool), rather than a message. */
        public boolean afterTool() {
            List<Object> in = input();
            String type = in.isEmpty() ? null : Json.str(in.getLast(), "type");
            return "function_call_output".equals(type) || "custom_tool_call_output".equals(type);
        }

        /** The texts of the messages of a role ({@code user}, {@code developer}, {@code assistant}), oldest first. */
        public List<String> messages(String role) {
            List<String> out = new ArrayList<>();
            for (Object i : input()) {
                if ("message".equals(Json.str(i, "type")) && role.equals(Json.str(i, "role"))) out.add(textOf(Json.at(i, "content")));
            }
            return out;
        }

        /** The text of the last user message (a prompt, a {@code <hook_prompt>}), or "". */
        public String lastUserText() {
            List<String> users = messages("user");
            return users.isEmpty() ? "" : users.getLast();
        }

        /** The names of the tools offered: functions, freeform tools and the tools of each namespace. */
        public List<String> toolNames() {
            List<String> out = new ArrayList<>();
            for (Object t : Json.list(body, "tools")) {
                if (Json.str(t, "name") != null) out.add(Json.str(t, "name"));
                if (Json.at(t, "tools") instanceof List<?> inner) for (Object i : inner) out.add(Json.str(t, "name") + "." + Json.str(i, "name"));
            }
            return out;
        }

        /** Whether the request (instructions, history, tools) contains {@code s}. */
        public boolean contains(String s) {
            return raw.contains(s) || Json.write(body).contains(s);
        }

        private static String textOf(Object content) {
            if (content instanceof String s) return s;
            StringBuilder sb = new StringBuilder();
            if (content instanceof List<?> parts) for (Object p : parts) if (Json.at(p, "text") != null) sb.append(Json.str(p, "text")).append('\n');
            return sb.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Function<Request, Reply>> scripts = new LinkedHashMap<>();
    private final Function<Request, Reply> fallback;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> otherRequests = new CopyOnWriteArrayList<>();
    private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    private ScriptedResponses(Function<Request, Reply> fallback) throws IOException {
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** An endpoint whose conversations follow {@code script} unless a marker of {@link #on} says otherwise. */
    public static ScriptedResponses start(Function<Request, Reply> script) {
        try {
            return new ScriptedResponses(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An endpoint that ends every turn with "done" unless a marker of {@link #on} says otherwise. */
    public static ScriptedResponses start() {
        return start(r -> Reply.text("done"));
    }

    /** The conversations whose requests contain {@code marker} follow {@code script} (markers are tried in the order given). */
    public synchronized ScriptedResponses on(String marker, Function<Request, Reply> script) {
        scripts.put(marker, script);
        return this;
    }

    /** {@code http://127.0.0.1:<port>/v1}, the provider's {@code base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every {@code /v1/responses} request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The conversation requests of the sessions whose requests contain {@code marker}. */
    public List<Request> requests(String marker) {
        return requests.stream().filter(r -> r.main() && r.contains(marker)).toList();
    }

    /** The conversation requests of one thread. */
    public List<Request> requestsOfThread(String threadId) {
        return requests.stream().filter(r -> r.main() && threadId.equals(r.threadId())).toList();
    }

    public List<Throwable> scriptFailures() {
        return List.copyOf(scriptFailures);
    }

    /** For a failure: each request's thread, calls so far and last user or developer text (shortened). */
    public String describe() {
        StringBuilder sb = new StringBuilder("scripted Responses API at " + baseUrl() + ": " + requests.size() + " request(s)\n");
        for (Request r : requests) {
            String last = r.afterTool() ? "(after a tool) " : r.lastUserText();
            if (last.length() > 800) last = last.substring(0, 800) + "...";
            sb.append("  #").append(r.seq()).append(r.main() ? " main " : " side ").append(r.at()).append(" thread ").append(r.threadId())
                    .append(" calls=").append(r.callsSoFar()).append("\n    ").append(last.replace("\n", "\n    ")).append('\n');
        }
        if (!otherRequests.isEmpty()) sb.append("  other: ").append(otherRequests).append('\n');
        for (Throwable t : scriptFailures) sb.append("  script failed: ").append(t).append('\n');
        return sb.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] in = ex.getRequestBody().readAllBytes();
            if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/responses")) {
                responses(ex, new String(in, StandardCharsets.UTF_8));
            } else {
                otherRequests.add(ex.getRequestMethod() + " " + path);
                send(ex, 200, "application/json", path.endsWith("/models") ? "{\"models\":[],\"data\":[]}" : "{}");
            }
        }
    }

    private void responses(HttpExchange ex, String raw) throws IOException {
        Instant at = Instant.now();
        Map<String, Object> body;
        try {
            body = Json.object(raw);
        } catch (RuntimeException e) {
            send(ex, 400, "application/json", "{\"error\":{\"message\":\"not JSON\"}}");
            return;
        }
        Request r = new Request(seq.incrementAndGet(), body, raw, at);
        requests.add(r);
        Reply reply;
        try {
            reply = r.main() ? scriptFor(r).apply(r) : Reply.text("Scripted title");
        } catch (RuntimeException | Error e) {
            scriptFailures.add(e);
            send(ex, 500, "application/json", Json.write(Map.of("error", Map.of("message", "test script failed: " + e))));
            return;
        }
        send(ex, 200, "text/event-stream", events(r.seq(), reply));
    }

    private synchronized Function<Request, Reply> scriptFor(Request r) {
        for (var e : scripts.entrySet()) if (r.contains(e.getKey())) return e.getValue();
        return fallback;
    }

    private static String events(int n, Reply reply) {
        Map<String, Object> item = new LinkedHashMap<>();
        switch (reply) {
            case Reply.Text t -> {
                item.put("type", "message");
                item.put("role", "assistant");
                item.put("id", "msg_" + n);
                item.put("content", List.of(Map.of("type", "output_text", "text", t.text())));
            }
            case Reply.Call c -> {
                item.put("type", "function_call");
                item.put("id", "fc_" + n);
                item.put("call_id", "call_" + n);
                item.put("name", c.name());
                if (c.namespace() != null) item.put("namespace", c.namespace());
                item.put("arguments", Json.write(c.arguments()));
            }
            case Reply.Custom c -> {
                item.put("type", "custom_tool_call");
                item.put("id", "ctc_" + n);
                item.put("call_id", "call_" + n);
                item.put("name", c.name());
                item.put("input", c.input());
            }
        }
        String id = "resp_" + n;
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input_tokens", 100);
        usage.put("input_tokens_details", null);
        usage.put("output_tokens", 10);
        usage.put("output_tokens_details", null);
        usage.put("total_tokens", 110);
        return event("response.created", Map.of("type", "response.created", "response", Map.of("id", id)))
                + event("response.output_item.added", Map.of("type", "response.output_item.added", "output_index", 0, "item", item))
                + event("response.output_item.done", Map.of("type", "response.output_item.done", "output_index", 0, "item", item))
                + event("response.completed", Map.of("type", "response.completed", "response", Map.of("id", id, "usage", usage)));
    }

    private static String event(String type, Object data) {
        return "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
