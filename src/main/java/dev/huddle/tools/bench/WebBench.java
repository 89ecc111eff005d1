package dev.huddle.tools.bench;

import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.WebCockpit;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The web cockpit's figure of {@code huddle bench} (group {@code web}, issue 7), without a browser: a client of
 * {@code huddle web}'s event stream ({@code GET /events}, server-sent events over HTTP on 127.0.0.1) watches a project
 * while an agent (a socket session, as a front speaks) sends messages one at a time, 100 ms apart. Per message:
 * <ol>
 *   <li>the hub's commit (the message's {@code at}, stamped by the hub just before it commits) to the snapshot that
 *       carries it arriving at the client: the push path (change signal, snapshot built and serialised, written);</li>
 *   <li>the agent's send_message call starting to the same arrival (adds the call's trip to the hub).</li>
 * </ol>
 * Both clocks are this machine's wall clock. WebIT measures the same through Chromium, to the page's next frame.
 */
final class WebBench {
    record Sizes(int messages, int warmups) {
        static final Sizes FULL = new Sizes(50, 5);
        static final Sizes QUICK = new Sizes(10, 2);
    }

    private static final long CALL_TIMEOUT_MS = 30_000;
    private static final long GAP_MS = 100;

    private final PrivateHub hub;
    private final Path project;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Figure> put;

    WebBench(PrivateHub hub, Path project, boolean quick, PrintStream progress, Consumer<Figure> put) {
        this.hub = hub;
        this.project = project;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.put = put;
    }

    /** When a message body first arrived in a snapshot: the wall clock in µs, and the hub's {@code at} of it. */
    private record Arrival(long arrivedMicros, String at) {}

    void run() throws IOException {
        int total = sizes.warmups() + sizes.messages();
        progress.println("bench: web: hub commit -> event-stream client (huddle web, no browser), " + sizes.messages() + " messages "
                + GAP_MS + " ms apart");
        String url = startWeb();
        URI events = URI.create(url.replace("/?token=", "/events?token="));
        try (McpSocketClient sender = McpSocketClient.connect(hub.paths(), project.toString(),
                Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()), "claude-code");
             McpSocketClient receiver = McpSocketClient.connect(hub.paths(), project.toString(),
                     Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()), "claude-code");
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            sender.tool("set_my_state", "{\"name\":\"bench-sender\"}", CALL_TIMEOUT_MS);
            receiver.tool("set_my_state", "{\"name\":\"bench-receiver\"}", CALL_TIMEOUT_MS);

            Map<String, Arrival> arrived = new ConcurrentHashMap<>();
            HttpResponse<Stream<String>> stream;
            try {
                stream = http.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofLines());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (stream.statusCode() != 200) throw new IOException("GET /events answered " + stream.statusCode());
            Thread reader = Thread.ofVirtual().name("web-bench-events").start(() -> {
                try {
                    stream.body().forEach(line -> onLine(line, arrived));
                } catch (RuntimeException closed) {
                    // the stream was closed at the end of the run
                }
            });
            try {
                List<Double> commitToClient = new ArrayList<>();
                List<Double> sendToClient = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    String body = "web-probe-" + i;
                    long sent = nowMicros();
                    Map<String, Object> r = sender.tool("send_message", "{\"target\":\"bench-receiver\",\"body\":" + MiniJson.write(body) + "}",
                            CALL_TIMEOUT_MS);
                    if (!Boolean.TRUE.equals(r.get("ok"))) throw new IOException("send_message failed: " + r);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!arrived.containsKey(body)) {
                        if (System.nanoTime() > deadline) throw new IOException("message " + i + " did not reach the event stream within 10 s");
                        sleep(1);
                    }
                    Arrival a = arrived.get(body);
                    if (i >= sizes.warmups()) {
                        commitToClient.add((a.arrivedMicros() - micros(Instant.parse(a.at()))) / 1000.0);
                        sendToClient.add((a.arrivedMicros() - sent) / 1000.0);
                    }
                    sleep(GAP_MS);
                }
                put.accept(Figure.measured("web_event_ms", "hub commit -> snapshot at an event-stream client (huddle web)", "ms",
                        Stats.of(commitToClient), 100.0, "the message's hub timestamp to its snapshot's data line read by an HTTP client on"
                                + " 127.0.0.1 (project of 2 agents, feed of up to 200 messages); after " + sizes.warmups() + " warm-ups"));
                put.accept(Figure.measured("web_send_to_event_ms", "send_message called -> snapshot at the event-stream client", "ms",
                        Stats.of(sendToClient), 100.0, "as above, from the agent's tool call (socket session) on"));
            } finally {
                stream.body().close();
                reader.interrupt();
            }
        } finally {
            try {
                hub.client(project).call(new ControlRequest.WebStop());
            } catch (IOException ignored) {
                // the hub stops anyway
            }
        }
    }

    private static void onLine(String line, Map<String, Arrival> arrived) {
        if (!line.startsWith("data: ")) return;
        long now = nowMicros(); // before parsing: the snapshot is here
        Map<String, Object> snapshot = MiniJson.parseObject(line.substring(6));
        for (Object p : (List<?>) snapshot.getOrDefault("projects", List.of())) {
            for (Object m : (List<?>) ((Map<?, ?>) p).get("feed")) {
                Map<?, ?> msg = (Map<?, ?>) m;
                arrived.putIfAbsent(String.valueOf(msg.get("body")), new Arrival(now, String.valueOf(msg.get("at"))));
            }
        }
    }

    private String startWeb() throws IOException {
        WebCockpit web = hub.client(project).call(new ControlRequest.Web(null, project.toString(), false));
        if (web.url() == null) throw new IOException("the hub's web op gave no url: " + web);
        return web.url();
    }

    private static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
