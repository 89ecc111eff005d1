package dev.huddle.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal OpenAI Responses API on 127.0.0.1 for driving the real Codex CLI offline: every
 * {@code POST /v1/responses} is recorded (with when it came) and answered with one assistant message ("done N") as server-sent events;
 * other requests get an empty JSON object (model lists: {@code {"models":[],"data":[]}}). Codex reaches it through a
 * {@code model_providers} entry with {@code base_url = }{@link #baseUrl()} and {@code wire_api = "responses"}.
 */
public final class FakeResponses implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    private FakeResponses(HttpServer server) {
        this.server = server;
    }

    public static FakeResponses start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeResponses f = new FakeResponses(s);
        s.createContext("/", f::handle);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return f;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** One {@code /responses} request: its raw JSON body, and when it came. */
    public record Received(String body, Instant at) {}

    /** The raw JSON bodies of the {@code /responses} requests so far. */
    public List<String> requests() {
        return received.stream().map(Received::body).toList();
    }

    /** The {@code /responses} requests so far, with when each came. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod()) || !ex.getRequestURI().getPath().endsWith("/responses")) {
                send(ex, "application/json", "{\"models\":[],\"data\":[]}");
                return;
            }
            received.add(new Received(new String(body, StandardCharsets.UTF_8), Instant.now()));
            int n = seq.incrementAndGet();
            String id = "resp_" + n;
            String sse = event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"" + id + "\"}}")
                    + event("response.output_item.done", "{\"type\":\"response.output_item.done\",\"item\":{\"type\":\"message\","
                    + "\"role\":\"assistant\",\"id\":\"msg_" + n + "\",\"content\":[{\"type\":\"output_text\",\"text\":\"done " + n + "\"}]}}")
                    + event("response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"" + id + "\",\"usage\":"
                    + "{\"input_tokens\":1,\"input_tokens_details\":null,\"output_tokens\":1,\"output_tokens_details\":null,\"total_tokens\":2}}}");
            send(ex, "text/event-stream", sse);
        }
    }

    private static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    private static void send(HttpExchange ex, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", type);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
