package dev.huddle.hub.cockpit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code huddle web}: the cockpit in a browser. A Jetty server on 127.0.0.1 only (a random port unless one is asked
 * for), started on demand by the control op {@code web} and stopped by {@code web_stop} or with the hub. Every run has
 * a fresh random token (SecureRandom, 192 bits, base64url) that every request must carry: the query parameter
 * {@code token} for the page, its script and style and the event stream, the header {@code X-Huddle-Token} for
 * POSTs; it is compared in constant time. The Host header must name this server ({@code 127.0.0.1:port} or
 * {@code localhost:port}), which defeats DNS rebinding, and a POST must come from this origin (Origin header) with a
 * JSON body, which defeats cross-site requests. It is read-only except for two actions of the human: send a message
 * and nudge an agent (both as {@code huddle send} would).
 *
 * <ul>
 *   <li>{@code GET /?token=T[&project=P|&all=1]}: the page (static HTML, CSS and vanilla JS from the jar)</li>
 *   <li>{@code GET /events?token=T[&project=P|&all=1]}: server-sent events: {@code event: snapshot} with
 *       {@code id: <generation>} after every change (see {@link CockpitFeed}), heartbeat comments when idle;
 *       one virtual thread per client</li>
 *   <li>{@code GET /api/snapshot?token=T[&project=P|&all=1]}: one snapshot</li>
 *   <li>{@code POST /api/send {project?, target, body}} and {@code POST /api/nudge {project?, target}}</li>
 * </ul>
 */
public final class WebServer {
    private static final Logger LOG = Logger.getLogger(WebServer.class.getName());

    /** Request header that carries the token on POSTs. */
    static final String TOKEN_HEADER = "X-Huddle-Token";
    /** The largest POST body read; more is refused with 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Event streams open at once; more are refused with 503 (a page holds one). */
    static final int MAX_STREAMS = 32;
    /** What EventSource waits before it reconnects, in ms (sent as the stream's {@code retry:}). */
    static final int RETRY_MS = 1500;
    private static final int TOKEN_BYTES = 24;

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** What the page's two actions do, as the human (the hub's control service). */
    public interface Operator {
        /** The project a directory belongs to (its git root), or the directory. */
        String projectOf(String directory);

        /** {@code huddle send}: the control reply, {@code {"ok":true,"result":…}} or {@code {"ok":false,"error":…,"message":…}}. */
        Map<String, Object> send(String project, String target, String body);

        /** The cockpit's nudge: the same reply shape. */
        Map<String, Object> nudge(String project, String target);
    }

    /** A running server: where it listens and the token of this run. */
    public record Info(String host, int port, String token, boolean started) {
        public String base() {
            return "http://" + host + ":" + port + "/";
        }
    }

    private final CockpitFeed feed;
    private final Operator operator;
    private final SecureRandom random = new SecureRandom();
    private final Set<Thread> streams = ConcurrentHashMap.newKeySet();
    private Server server;
    private volatile int port;
    private volatile byte[] token;
    private volatile String tokenText;

    public WebServer(CockpitFeed feed, Operator operator) {
        this.feed = feed;
        this.operator = operator;
    }

    /**
     * Starts the server, or returns the running one. A running server asked for another port is restarted there
     * (with a new token); {@code port} 0 means "any free port" (or the running one's).
     */
    public synchronized Info start(int wantedPort) throws IOException {
        if (wantedPort < 0 || wantedPort > 65535) throw new IllegalArgumentException("port " + wantedPort + " is not a TCP port");
        if (server != null && (wantedPort == 0 || wantedPort == port)) return new Info("127.0.0.1", port, tokenText, false);
        if (server != null) stop();
        byte[] t = new byte[TOKEN_BYTES];
        random.nextBytes(t);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        QueuedThreadPool pool = new QueuedThreadPool(8, 1);
        pool.setName("hub-web");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server s = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(wantedPort);
        connector.setIdleTimeout(Duration.ofSeconds(60).toMillis()); // streams write a heartbeat every 10 s
        s.addConnector(connector);
        s.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    WebServer.this.handle(request, response, callback);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "web request " + request.getHttpURI().getPath() + " failed", e);
                    json(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, error("internal", String.valueOf(e.getMessage())));
                }
                return true;
            }
        });
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            throw new IOException("cannot listen on 127.0.0.1:" + wantedPort + ": " + rootMessage(e), e);
        }
        server = s;
        port = connector.getLocalPort();
        token = text.getBytes(StandardCharsets.US_ASCII);
        tokenText = text;
        LOG.info("web cockpit listening on http://127.0.0.1:" + port + "/");
        return new Info("127.0.0.1", port, text, true);
    }

    /** Stops the server and ends its streams; false when none ran. */
    public synchronized boolean stop() {
        if (server == null) return false;
        Server s = server;
        server = null;
        token = null;
        tokenText = null;
        streams.forEach(Thread::interrupt);
        try {
            s.stop();
        } catch (Exception e) {
            LOG.log(Level.FINE, "web server stop", e);
        }
        LOG.info("web cockpit on port " + port + " stopped");
        port = 0;
        return true;
    }

    synchronized boolean running() {
        return server != null;
    }

    /** Open event streams (a watching page keeps the hub from exiting while idle). */
    public int clients() {
        return streams.size();
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    private void handle(Request request, Response response, Callback callback) {
        securityHeaders(response);
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
            // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 sends its own Host.
            refuse(response, callback, path, "wrong-host", "This server answers only to http://127.0.0.1:" + port
                    + "/ and http://localhost:" + port + "/ (the Host header named another site).");
            return;
        }
        boolean post = "POST".equals(method);
        Fields query;
        try {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // bad %-encoding
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("bad-request", "the query string is malformed"));
            return;
        }
        String given = post ? request.getHeaders().get(TOKEN_HEADER) : query.getValue("token");
        if (!tokenMatches(given)) {
            refuse(response, callback, path, given == null || given.isEmpty() ? "missing-token" : "wrong-token",
                    given == null || given.isEmpty()
                            ? "This page needs the token that `huddle web` prints with its address."
                            : "The token does not match: the web cockpit was restarted since this link was made (each run has a new token).");
            return;
        }
        if (post) {
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            if (origin == null || !sameOrigin(origin)) {
                json(response, callback, HttpStatus.FORBIDDEN_403, error("wrong-origin",
                        "POSTs must come from this page (Origin http://127.0.0.1:" + port + " or http://localhost:" + port + ")"));
                return;
            }
            switch (path) {
                case "/api/send" -> action(request, response, callback, false);
                case "/api/nudge" -> action(request, response, callback, true);
                default -> json(response, callback, HttpStatus.NOT_FOUND_404, error("not-found", "no endpoint POST " + path));
            }
            return;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error("method-not-allowed", method + " is not served here"));
            return;
        }
        switch (path) {
            case "/", "/index.html" -> page(response, callback);
            case "/app.js" -> resource(response, callback, "app.js", "text/javascript; charset=utf-8");
            case "/app.css" -> resource(response, callback, "app.css", "text/css; charset=utf-8");
            case "/events" -> {
                if ("GET".equals(method)) events(query, response, callback);
                else text(response, callback, HttpStatus.OK_200, "text/event-stream; charset=utf-8", "");
            }
            case "/api/snapshot" -> {
                Scope scope = scope(query);
                if (scope.error != null) {
                    json(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid-argument", scope.error));
                } else {
                    text(response, callback, HttpStatus.OK_200, "application/json", feed.json(feed.snapshot(scope.project, scope.maxAge)));
                }
            }
            default -> json(response, callback, HttpStatus.NOT_FOUND_404, error("not-found", "no page " + path));
        }
    }

    boolean hostAllowed(String host) {
        if (host == null) return false;
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port);
    }

    private boolean sameOrigin(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://127.0.0.1:" + port) || o.equals("http://localhost:" + port);
    }

    /** Constant-time comparison with this run's token. */
    boolean tokenMatches(String given) {
        byte[] t = token;
        if (t == null || given == null) return false;
        return MessageDigest.isEqual(t, given.getBytes(StandardCharsets.UTF_8));
    }

    private static void securityHeaders(Response response) {
        var h = response.getHeaders();
        h.put("Content-Security-Policy", CSP);
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** 403: an HTML page for what a browser opens, JSON for the API. */
    private void refuse(Response response, Callback callback, String path, String code, String message) {
        if (path.startsWith("/api/")) {
            json(response, callback, HttpStatus.FORBIDDEN_403, error(code, message));
            return;
        }
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>huddle web: forbidden</title></head>"
                + "<body><h1>403: forbidden (" + code + ")</h1><p>" + escapeHtml(message) + "</p>"
                + "<p>Run <code>huddle web</code> in your project and open the address it prints: it carries the token of the"
                + " running web cockpit.</p></body></html>";
        text(response, callback, HttpStatus.FORBIDDEN_403, "text/html; charset=utf-8", html);
    }

    private void page(Response response, Callback callback) {
        String html = load("index.html").replace("{{TOKEN}}", tokenText == null ? "" : tokenText); // base64url: nothing to escape
        text(response, callback, HttpStatus.OK_200, "text/html; charset=utf-8", html);
    }

    private static void resource(Response response, Callback callback, String name, String type) {
        text(response, callback, HttpStatus.OK_200, type, load(name));
    }

    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private static String load(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            try (InputStream in = WebServer.class.getResourceAsStream("/dev/huddle/web/" + n)) {
                if (in == null) throw new IllegalStateException("resource /dev/huddle/web/" + n + " missing from the jar");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- the event stream -------------------------------------------------------------------------------------

    private record Scope(String project, Duration maxAge, String error) {}

    /** {@code all=1}, or {@code project=<absolute directory>} (its git root); neither means every project. */
    private Scope scope(Fields query) {
        Duration maxAge = Duration.ofSeconds(StatusReport.DEFAULT_MAX_OBLIGATION_AGE_S);
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
        return new Scope(operator.projectOf(project), maxAge, null);
    }

    private void events(Fields query, Response response, Callback callback) {
        Scope scope = scope(query);
        if (scope.error != null) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid-argument", scope.error));
            return;
        }
        if (streams.size() >= MAX_STREAMS) {
            json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("too-many-streams",
                    "at most " + MAX_STREAMS + " pages can watch at once; close some"));
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
                    public void snapshot(String json) throws IOException {
                        // one data line: the JSON has no raw newlines (they are escaped inside strings)
                        Object generation = generationOf(json);
                        write(response, "event: snapshot\nid: " + generation + "\ndata: " + json + "\n\n");
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

    /** The snapshot's generation, read from the start of its JSON (the feed writes {@code "v"} then {@code "generation"}). */
    static long generationOf(String json) {
        int i = json.indexOf("\"generation\":");
        if (i < 0) return 0;
        int s = i + "\"generation\":".length();
        int e = s;
        while (e < json.length() && Character.isDigit(json.charAt(e))) e++;
        return e == s ? 0 : Long.parseLong(json, s, e, 10);
    }

    private static void write(Response response, String text) throws IOException {
        if (Thread.currentThread().isInterrupted()) throw new IOException("the web cockpit stopped");
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
            done.block();
        }
    }

    // ---- actions ----------------------------------------------------------------------------------------------

    private void action(Request request, Response response, Callback callback, boolean nudge) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            json(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, error("unsupported-media-type", "send a JSON body (application/json)"));
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            json(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
            return;
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("bad-request", "could not read the body: " + e.getMessage()));
            return;
        }
        if (bytes.length > MAX_BODY_BYTES) {
            json(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
            return;
        }
        JsonNode body;
        try {
            body = JsonMapper.shared().readTree(bytes);
        } catch (JacksonException e) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("bad-json", "the body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (body == null || !body.isObject()) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("bad-json", "the body must be a JSON object"));
            return;
        }
        String target = text(body, "target");
        String text = text(body, "body");
        String project = text(body, "project");
        if (target == null || target.isBlank()) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid-argument", "target (a session id or name) is missing"));
            return;
        }
        if (!nudge && (text == null || text.isBlank())) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid-argument", "body (the message text) is missing"));
            return;
        }
        if (project == null || !project.startsWith("/")) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid-argument", "project (the agent's project root) is missing"));
            return;
        }
        String root = operator.projectOf(project);
        Map<String, Object> reply = nudge ? operator.nudge(root, target) : operator.send(root, target, text);
        json(response, callback, statusOf(reply), reply);
    }

    private static String text(JsonNode body, String key) {
        JsonNode n = body.get(key);
        return n != null && n.isString() ? n.asString() : null;
    }

    /** The HTTP status of a control reply: 200, 404 for an unknown target, 409 for an ambiguous one, else 400. */
    static int statusOf(Map<String, Object> reply) {
        if (Boolean.TRUE.equals(reply.get("ok"))) return HttpStatus.OK_200;
        String code = String.valueOf(reply.get("error"));
        if (code.equals("target-not-found") || code.startsWith("unknown-")) return HttpStatus.NOT_FOUND_404;
        if (code.equals("ambiguous-target")) return HttpStatus.CONFLICT_409;
        if (code.equals("internal") || code.equals("store-error")) return HttpStatus.INTERNAL_SERVER_ERROR_500;
        return HttpStatus.BAD_REQUEST_400;
    }

    private static Map<String, Object> tooLarge() {
        return error("payload-too-large", "request bodies are limited to " + (MAX_BODY_BYTES >> 10) + " KiB");
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    private static void json(Response response, Callback callback, int status, Object body) {
        text(response, callback, status, "application/json", JsonMapper.shared().writeValueAsString(body));
    }

    private static void text(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return String.valueOf(t.getMessage());
    }
}
