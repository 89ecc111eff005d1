package dev.huddle.hub.control;

import dev.huddle.hub.cockpit.WebServer;

import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.WebCockpit;
import dev.huddle.protocol.control.WebStopped;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code web} and {@code web_stop} ({@code huddle web}): the web cockpit, started on demand. */
final class WebOps {
    private final WebServer web;
    private final Projects projects;

    WebOps(WebServer web, Projects projects) {
        this.web = web;
        this.projects = projects;
    }

    /**
     * Starts the web cockpit (or returns the running one) and answers where it is: {@code url} (with the token and the
     * project, or {@code all=1}), {@code port}, {@code token}, {@code started} (false: it already ran).
     */
    WebCockpit start(ControlRequest.Web request, String cwd) {
        int port = request.port() == null ? 0 : request.port();
        if (port < 0 || port > 65535) {
            throw new ControlFailure("invalid-argument", "port " + port + " is not a TCP port (0 picks a free one)");
        }
        WebServer.Info info;
        try {
            info = web.start(port);
        } catch (IOException e) {
            throw new ControlFailure("listen-failed", e.getMessage());
        }
        String project = request.all() ? null : projects.of(request.project(), cwd);
        String url = info.base() + "?token=" + info.token()
                + (project == null ? "&all=1" : "&project=" + URLEncoder.encode(project, StandardCharsets.UTF_8));
        return new WebCockpit(url, info.port(), info.token(), info.started(), project, project == null ? Boolean.TRUE : null);
    }

    WebStopped stop() {
        return new WebStopped(web.stop());
    }
}
