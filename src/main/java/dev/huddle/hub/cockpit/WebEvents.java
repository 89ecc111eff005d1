package dev.huddle.hub.cockpit;

import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The page's view of the cockpit: {@code GET /events} streams server-sent events ({@code event: snapshot} with
 * {@code id: <generation>} after every change, heartbeat comments when idle) on a virtual thread per page, and
 * {@code GET /api/snapshot} answers one snapshot; both for {@code all=1} or {@code project=<absolute directory>}.
 */
final class WebEvents {
    private static final Logger LOG = Logger.getLogger(WebEvents.class.getName());

    /** Event streams open at once; more are refused with 503 (a page holds one). */
    static final int MAX_STREAMS = 32;
    /** What EventSource waits before it reconnects, in ms (sent as the stream's {@code retry:}). */
    static final int RETRY_MS = 1500;

    private final CockpitFeed feed;
    /** The project a directory belongs to (its git root). */
    private final UnaryOperator<String> projectOf;
    private final Set<Thread> streams = ConcurrentHashMap.newKeySet();

    WebEvents(CockpitFeed feed, UnaryOperator<String> projectOf) {
        this.feed = feed;
        this.projectOf = projectOf;
    }

    private record Scope(String project, Duration maxAge, String error) {}

    /** {@code all=1}, or {@code project=<absolute directory>} (its git root); neither means every project. */
    private Scope scope(Fields query) {
        Duration maxAge = Duration.ofMillis(StatusReport.DEFAULT_MAX_OBLIGATION_AGE_MS);
        String age = query.getValue("max_obligation_age_ms");
        if (age != null) {
            try {
                maxAge = Duration.ofMillis(Math.max(0, Long.parseLong(age)));
            } catch (NumberFormatException e) {
                return new Scope(null, maxAge, "max_obligation_age_ms must be a number of milliseconds");
            }
        }
        String project = query.getValue("project");
        if ("1".equals(query.getValue("all")) || project == null || project.isBlank()) return new Scope(null, maxAge, null);
        if (!project.startsWith("/") || project.length() > 4096 || project.indexOf('\0') >= 0) {
            return new Scope(null, maxAge, "project must be an absolute directory");
        }
        return new Scope(projectOf.apply(project), maxAge, null);
    }

    void snapshot(Fields query, Response response, Callback callback) {
        Scope scope = scope(query);
        if (scope.error != null) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "invalid-argument", scope.error);
            return;
        }
        WebReplies.json(response, callback, HttpStatus.OK_200, Json.write(feed.snapshot(scope.project, scope.maxAge)));
    }

    void stream(Fields query, Response response, Callback callback) {
        Scope scope = scope(query);
        if (scope.error != null) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "invalid-argument", scope.error);
            return;
        }
        if (streams.size() >= MAX_STREAMS) {
            WebReplies.error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "too-many-streams",
                    "at most " + MAX_STREAMS + " pages can watch at once; close some");
            return;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put("X-Accel-Buffering", "no");
        Thread.ofVirtual().name("web-events").start(() -> {
            streams.add(Thread.currentThread());
            try {
                write(response, "retry: " + RETRY_MS + "\n\n");
                feed.stream(scope.project, scope.maxAge, null, new CockpitFeed.Sink() {
                    @Override
                    public void snapshot(CockpitSnapshot s) throws IOException {
                        // one data line: the JSON has no raw newlines (they are escaped inside strings)
                        write(response, "event: snapshot\nid: " + s.generation() + "\ndata: " + Json.write(s) + "\n\n");
                    }

                    @Override
                    public void heartbeat() throws IOException {
                        write(response, ": heartbeat\n\n");
                    }
                });
                callback.succeeded();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "web event stream ended", e);
                callback.failed(e);
            } finally {
                streams.remove(Thread.currentThread());
            }
        });
    }

    private static void write(Response response, String text) throws IOException {
        if (Thread.currentThread().isInterrupted()) throw new IOException("the web cockpit stopped");
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
            done.block();
        }
    }

    /** Ends every stream (the server stops). */
    void endAll() {
        streams.forEach(Thread::interrupt);
    }

    /** Open event streams (a watching page keeps the hub from exiting while idle). */
    int open() {
        return streams.size();
    }
}
