package dev.huddle.hub.cockpit;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.SendReceipt;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The page's two actions of the human, {@code POST /api/send {project, target, body}} and
 * {@code POST /api/nudge {project, target}}: a JSON body of at most {@link #MAX_BODY_BYTES}, checked, then done as
 * {@code huddle send} would; the answer is the control reply with an HTTP status that fits it.
 */
final class WebActions {
    /** The largest POST body read; more is refused with 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final WebOperator operator;

    WebActions(WebOperator operator) {
        this.operator = operator;
    }

    void handle(Request request, Response response, Callback callback, boolean nudge) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            WebReplies.error(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "send a JSON body (application/json)");
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            tooLarge(response, callback);
            return;
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "bad-request", "could not read the body: " + e.getMessage());
            return;
        }
        if (bytes.length > MAX_BODY_BYTES) {
            tooLarge(response, callback);
            return;
        }
        Object body;
        try {
            body = MiniJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "bad-json", "the body is not JSON: " + e.getMessage());
            return;
        }
        if (!(body instanceof Map<?, ?> fields)) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "bad-json", "the body must be a JSON object");
            return;
        }
        String target = fields.get("target") instanceof String s ? s : null;
        String text = fields.get("body") instanceof String s ? s : null;
        String project = fields.get("project") instanceof String s ? s : null;
        String missing = target == null || target.isBlank() ? "target (a session id or name) is missing"
                : !nudge && (text == null || text.isBlank()) ? "body (the message text) is missing"
                : project == null || !project.startsWith("/") ? "project (the agent's project root) is missing" : null;
        if (missing != null) {
            WebReplies.error(response, callback, HttpStatus.BAD_REQUEST_400, "invalid-argument", missing);
            return;
        }
        String root = operator.projectOf(project);
        try {
            SendReceipt sent = nudge ? operator.nudge(root, target) : operator.send(root, target, text);
            WebReplies.json(response, callback, HttpStatus.OK_200, ControlReply.ok(sent));
        } catch (ControlFailure refused) {
            WebReplies.json(response, callback, statusOf(refused.error().code()), ControlReply.refused(refused.error()));
        }
    }

    /** The HTTP status of a refusal: 404 for an unknown target, 409 for an ambiguous one, 403 for a write the shared store refused, 500 for the hub's own, else 400. */
    static int statusOf(String code) {
        if (code.equals("target-not-found") || code.startsWith("unknown-")) return HttpStatus.NOT_FOUND_404;
        if (code.equals("ambiguous-target")) return HttpStatus.CONFLICT_409;
        if (code.equals("store-forbidden")) return HttpStatus.FORBIDDEN_403; // another machine's agent, on a shared store
        if (code.equals("internal") || code.equals("store-error")) return HttpStatus.INTERNAL_SERVER_ERROR_500;
        return HttpStatus.BAD_REQUEST_400;
    }

    private static void tooLarge(Response response, Callback callback) {
        WebReplies.error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "payload-too-large",
                "request bodies are limited to " + (MAX_BODY_BYTES >> 10) + " KiB");
    }
}
