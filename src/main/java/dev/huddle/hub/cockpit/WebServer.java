package dev.huddle.hub.cockpit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
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
 *   <li>{@code GET /events?token=T[&project=P|&all=1]} and {@code GET /api/snapshot?…}: see {@link WebEvents}</li>
 *   <li>{@code POST /api/send} and {@code POST /api/nudge}: see {@link WebActions}</li>
 * </ul>
 */
public final class WebServer {
    private static final Logger LOG = Logger.getLogger(WebServer.class.getName());

    /** Request header that carries the token on POSTs. */
    static final String TOKEN_HEADER = "X-Huddle-Token";
    private static final int TOKEN_BYTES = 24;

    /** A running server: where it listens and the token of this run. */
    public record Info(String host, int port, String token, boolean started) {
        public String base() {
            return "http://" + host + ":" + port + "/";
        }
    }

    private final WebEvents events;
    private final WebActions actions;
    private final SecureRandom random = new SecureRandom();
    private Server server;
    private volatile int port;
    private volatile byte[] token;
    private volatile String tokenText;

    public WebServer(CockpitFeed feed, WebOperator operator) {
        this.events = new WebEvents(feed, operator::projectOf);
        this.actions = new WebActions(operator);
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
                    WebReplies.error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal", String.valueOf(e.getMessage()));
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
        events.endAll();
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
        return events.open();
    }

    private void handle(Request request, Response response, Callback callback) {
        WebReplies.securityHeaders(response);
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
            // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 sends its own Host.
            WebReplies.refuse(response, callback, path, "wrong-host", "This server answers only to http://127.0.0.1:" + port
                    + "/ and http://localhost:" + port + "/ (the Host header named another site).");
            return;
        }
        boolean post = "POST".equals(method);
        Fields query;
        try {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // bad %-encoding
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "bad-request", "the query string is malformed");
            return;
        }
        String given = post ? request.getHeaders().get(TOKEN_HEADER) : query.getValue("token");
        if (!tokenMatches(given)) {
            WebReplies.refuse(response, callback, path, given == null || given.isEmpty() ? "missing-token" : "wrong-token",
                    given == null || given.isEmpty()
                            ? "This page needs the token that `huddle web` prints with its address."
                            : "The token does not match: the web cockpit was restarted since this link was made (each run has a new token).");
            return;
        }
        if (post) {
            post(request, response, callback, path);
            return;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            WebReplies.error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method-not-allowed", method + " is not served here");
            return;
        }
        switch (path) {
            case "/", "/index.html" -> WebReplies.page(response, callback, tokenText);
            case "/app.js" -> WebReplies.resource(response, callback, "app.js", "text/javascript; charset=utf-8");
            case "/app.css" -> WebReplies.resource(response, callback, "app.css", "text/css; charset=utf-8");
            case "/events" -> {
                if ("GET".equals(method)) events.stream(query, response, callback);
                else WebReplies.text(response, callback, HttpStatus.OK_200, "text/event-stream; charset=utf-8", "");
            }
            case "/api/snapshot" -> events.snapshot(query, response, callback);
            default -> WebReplies.error(response, callback, HttpStatus.NOT_FOUND_404, "not-found", "no page " + path);
        }
    }

    private void post(Request request, Response response, Callback callback, String path) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || !sameOrigin(origin)) {
            WebReplies.error(response, callback, HttpStatus.FORBIDDEN_403, "wrong-origin",
                    "POSTs must come from this page (Origin http://127.0.0.1:" + port + " or http://localhost:" + port + ")");
            return;
        }
        switch (path) {
            case "/api/send" -> actions.handle(request, response, callback, false);
            case "/api/nudge" -> actions.handle(request, response, callback, true);
            default -> WebReplies.error(response, callback, HttpStatus.NOT_FOUND_404, "not-found", "no endpoint POST " + path);
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return String.valueOf(t.getMessage());
    }
}
