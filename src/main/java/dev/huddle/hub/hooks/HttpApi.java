package dev.huddle.hub.hooks;

import dev.huddle.hub.claims.CommitGuard;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.identity.Callers;
import dev.huddle.terminal.ProcessInspector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import dev.huddle.agents.HookCommands;
import dev.huddle.core.HuddleError;
import dev.huddle.store.StoreException;
import dev.huddle.protocol.HubPaths;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import dev.huddle.protocol.HookPort;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP over the hub's second Unix socket ({@code http.sock}), for {@code curl --unix-socket}: hook endpoints
 * ({@code /hooks/<client>/<event>}, see {@link HookService}) and {@code GET /v1/health}. Handlers run on virtual threads.
 *
 * <p>The same hook endpoints, and nothing else, also listen on a loopback TCP port ({@link dev.huddle.protocol.HookPort})
 * for hooks a client POSTs itself (Claude Code's {@code type: "http"}). Every local user can reach that port, so a
 * connection acts for nobody until the hub has found the process of its own user that holds the connection's client
 * socket ({@link Callers#ofTcp}); that proof is kept for the connection's life (the client keeps it alive), and a
 * connection without one gets 403 and changes nothing.
 */
public final class HttpApi {
    private final Path socket;
    private final Supplier<Map<String, Object>> health;
    /** Large enough for a Write of a big file (the payload carries its content); more is refused with 413. */
    static final int MAX_HOOK_BYTES = 32 << 20;
    /** Response header: microseconds the hub spent on a hook (payload read, handling, answer rendered). */
    static final String HANDLED_HEADER = "X-Huddle-Handled-Us";
    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());
    private Server server;
    private final Callers callers = new Callers(new ProcessInspector());
    private final CompletableFuture<HookService> hooks;
    private final CompletableFuture<CommitGuard> commits;
    private final int tcpPort;
    private volatile ServerConnector tcp;
    private volatile String tcpProblem;
    /** The connection attribute that keeps a TCP connection's proven caller. */
    private static final String TCP_CALLER = "huddle.caller";

    /**
     * The socket starts before the database is open: until the hub's services exist, hooks get 503 and fail open and
     * the commit check allows.
     *
     * @param hooks   the hook service, once it exists
     * @param commits the git pre-commit guard, once it exists
     */
    public HttpApi(Path socket, Supplier<Map<String, Object>> health, CompletableFuture<HookService> hooks,
                   CompletableFuture<CommitGuard> commits) {
        this(socket, 0, health, hooks, commits);
    }

    /** @param tcpPort the loopback port of the hook listener; 0 for none */
    public HttpApi(Path socket, int tcpPort, Supplier<Map<String, Object>> health, CompletableFuture<HookService> hooks,
                   CompletableFuture<CommitGuard> commits) {
        this.tcpPort = tcpPort;
        this.socket = socket;
        this.health = health;
        this.hooks = hooks;
        this.commits = commits;
    }

    public void start() throws Exception {
        Files.deleteIfExists(socket);
        QueuedThreadPool pool = new QueuedThreadPool(8, 1);
        pool.setName("hub-http");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        if (tcpPort > 0) openTcp();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (request.getConnectionMetaData().getConnector() == tcp) {
                    if (path.startsWith("/hooks/")) hook(request, response, callback, path, null);
                    else send(response, callback, HttpStatus.NOT_FOUND_404, error("not-found", "this port serves only hooks"));
                    return true;
                }
                Caller caller = callerOf(request);
                if (!caller.sameUser()) {
                    // the socket is 0600 in a 0700 directory; a process of another user got here anyway (root, a loose mode)
                    send(response, callback, HttpStatus.FORBIDDEN_403, error("forbidden", "this hub serves only its own user's processes"));
                } else if (path.startsWith("/hooks/")) {
                    hook(request, response, callback, path, caller);
                } else if ("/v1/commit-check".equals(path)) {
                    commitCheck(request, response, callback, caller);
                } else if ("/v1/health".equals(path)) {
                    send(response, callback, HttpStatus.OK_200, health.get());
                } else {
                    send(response, callback, HttpStatus.NOT_FOUND_404,
                            Map.of("ok", false, "error", "not-found", "message", "no endpoint " + path));
                }
                return true;
            }
        });
        server.start();
        Files.setPosixFilePermissions(socket, HubPaths.FILE_MODE);
    }

    /** Binds the loopback hook port; when another process holds it the hub goes on without it (http hooks fail open). */
    private void openTcp() {
        ServerConnector c = new ServerConnector(server, 1, 1);
        c.setHost(HookPort.HOST);
        c.setPort(tcpPort);
        c.setReuseAddress(true);
        try {
            c.open();
        } catch (IOException e) {
            tcpProblem = "port " + tcpPort + " is taken (" + e.getMessage() + ")";
            LOG.warning("hook port " + HookPort.HOST + ":" + tcpPort + " is taken by another process; Claude Code's http hooks do not"
                    + " reach this hub (they fail open). Run `huddle setup` to choose a new port, then `huddle hub restart`.");
            return;
        }
        server.addConnector(c);
        tcp = c;
    }

    /** The port the hook listener listens on; -1 when it does not. */
    public int tcpPort() {
        ServerConnector c = tcp;
        return c == null ? -1 : c.getLocalPort();
    }

    /** Why the hook listener is not listening; null when it is, or none was asked for. */
    public String tcpProblem() {
        return tcpProblem;
    }

    /** The pre-commit guard ({@link CommitGuard}): text answer, first line allow / warn / refuse. Fails open on anything odd. */
    private void commitCheck(Request request, Response response, Callback callback, Caller caller) {
        CommitGuard guard = commits.getNow(null);
        String answer = "allow\n";
        if (guard != null && "POST".equals(request.getMethod()) && request.getLength() <= MAX_HOOK_BYTES) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                answer = guard.check(in.readNBytes(MAX_HOOK_BYTES), caller.narrowedTo(pidOf(request)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "commit check failed (the commit is allowed)", e);
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private void hook(Request request, Response response, Callback callback, String path, Caller caller) {
        long received = System.nanoTime();
        String[] parts = path.split("/", -1); // "", "hooks", client, event
        HookService service = hooks.getNow(null);
        if (!"POST".equals(request.getMethod())) {
            send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error("method-not-allowed", "hooks are POSTed"));
        } else if (parts.length != 4 || parts[2].isEmpty() || parts[3].isEmpty()) {
            send(response, callback, HttpStatus.NOT_FOUND_404, error("unknown-event", "hook paths are /hooks/<client>/<event>"));
        } else if (service == null) {
            send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("starting", "the hub is starting"));
        } else if (request.getLength() > MAX_HOOK_BYTES) {
            send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
        } else {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readNBytes(MAX_HOOK_BYTES + 1);
            } catch (IOException e) {
                send(response, callback, HttpStatus.BAD_REQUEST_400, error("bad-payload", "could not read the payload: " + e.getMessage()));
                return;
            }
            if (body.length > MAX_HOOK_BYTES) {
                send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
                return;
            }
            if (caller == null) {
                caller = tcpCaller(request, service, body);
                if (!caller.proven() || !caller.sameUser()) {
                    LOG.warning("hook " + path + " over TCP refused: " + caller.unproven());
                    send(response, callback, HttpStatus.FORBIDDEN_403, error("unproven", "the hub could not prove which process of its user"
                            + " sent this hook (" + caller.unproven() + ")"));
                    return;
                }
            }
            HookService.Answer answer;
            try {
                answer = service.handle(parts[2], parts[3], body, caller, pidOf(request), received);
            } catch (HuddleError e) {
                int status = switch (e.code()) {
                    case "forbidden" -> HttpStatus.FORBIDDEN_403;
                    case "session-in-use" -> HttpStatus.CONFLICT_409;
                    default -> e.code().startsWith("unknown-") ? HttpStatus.NOT_FOUND_404 : HttpStatus.BAD_REQUEST_400;
                };
                if (status >= HttpStatus.FORBIDDEN_403 && status != HttpStatus.NOT_FOUND_404) LOG.warning("hook " + path + " refused: " + e.getMessage());
                Map<String, Object> err = new java.util.LinkedHashMap<>(error(e.code(), e.getMessage()));
                if (e.hint() != null) err.put("hint", e.hint());
                send(response, callback, status, err);
                return;
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "hook " + path + " failed on the database", e);
                // a shared store's row-level security refusing another machine's agent's row: the caller's, not the hub's
                send(response, callback, "store-forbidden".equals(e.code()) ? HttpStatus.FORBIDDEN_403 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        error(e.code(), e.getMessage()));
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "hook " + path + " failed", e);
                send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, error("internal", "the hub failed on this hook; its log"
                        + " ($HUDDLE_HOME/logs/hub.log) says why"));
                return;
            }
            if (answer.status() != HttpStatus.OK_200) {
                send(response, callback, answer.status(), error("poll-again", "no mail to wake for yet; poll again"));
                return;
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.waiter() != null ? "text/plain; charset=utf-8" : "application/json");
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            // Time inside the hub, from the request's headers to its answer, for benchmarks and `curl -i`.
            response.getHeaders().put(HANDLED_HEADER, (System.nanoTime() - received) / 1_000);
            response.write(true, ByteBuffer.wrap(bytes), Callback.from(() -> {
                service.written(answer);
                callback.succeeded();
            }, x -> {
                service.lost(answer);
                callback.failed(x);
            }));
        }
    }

    /** Who opened this TCP connection, proven once per connection (its first hook names the session to look at first). */
    private Caller tcpCaller(Request request, HookService service, byte[] body) {
        ConnectionMetaData meta = request.getConnectionMetaData();
        if (meta.getAttribute(TCP_CALLER) instanceof Caller known) return known;
        if (!(meta.getRemoteSocketAddress() instanceof InetSocketAddress client) || !(meta.getLocalSocketAddress() instanceof InetSocketAddress local)) {
            return Caller.unproven("not a TCP connection", true);
        }
        Caller caller = callers.ofTcp(client, local, service.suspects(body));
        if (caller.proven()) meta.setAttribute(TCP_CALLER, caller);
        LOG.fine(() -> "hook connection from " + client + ": " + (caller.proven() ? "pid " + caller.pid() + ", lineage " + caller.lineage() : caller.unproven()));
        return caller;
    }

    /** Who is at the other end of this request's connection, as the socket proves it. */
    private Caller callerOf(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SocketChannelEndPoint e) return callers.of(e.getChannel());
        return Caller.unproven("not a socket connection: " + endPoint.getClass().getSimpleName(), true);
    }

    private static long pidOf(Request request) {
        String v = request.getHeaders().get(HookCommands.PID_HEADER);
        if (v == null) return -1;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("ok", false, "error", code, "message", message);
    }

    private static Map<String, Object> tooLarge() {
        return error("payload-too-large", "hook payloads are limited to " + (MAX_HOOK_BYTES >> 20) + " MiB");
    }

    static void send(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] bytes = JsonMapper.shared().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    public void stop() {
        if (server == null) return;
        try {
            server.stop();
        } catch (Exception ignored) {
            // shutting down
        }
        try {
            Files.deleteIfExists(socket);
        } catch (java.io.IOException ignored) {
            // next hub removes it
        }
    }
}
