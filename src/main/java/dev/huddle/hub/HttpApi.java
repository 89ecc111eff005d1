package dev.huddle.hub;

import dev.huddle.wire.HubPaths;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * HTTP over the hub's second Unix socket ({@code http.sock}), for {@code curl --unix-socket}: hook endpoints
 * ({@code /hooks/<client>/<event>}, added with the hooks) and {@code GET /v1/health}. Handlers run on virtual threads.
 */
final class HttpApi {
    private final Path socket;
    private final Supplier<Map<String, Object>> health;
    private Server server;

    HttpApi(Path socket, Supplier<Map<String, Object>> health) {
        this.socket = socket;
        this.health = health;
    }

    void start() throws Exception {
        Files.deleteIfExists(socket);
        QueuedThreadPool pool = new QueuedThreadPool(8, 1);
        pool.setName("hub-http");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server);
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if ("/v1/health".equals(path)) {
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

    static void send(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] bytes = JsonMapper.shared().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    void stop() {
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
