package dev.huddle.hub.cockpit;

import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlReply;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How the web cockpit answers: its security headers, JSON and text bodies, the 403 page, the static files of the jar. */
final class WebReplies {
    private WebReplies() {}

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    static void securityHeaders(Response response) {
        var h = response.getHeaders();
        h.put("Content-Security-Policy", CSP);
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** A control reply saying no, {@code {"ok":false,"error":…,"message":…}}, with {@code status}. */
    static void error(Response response, Callback callback, int status, String code, String message) {
        json(response, callback, status, ControlReply.refused(new ControlError(code, message)));
    }

    /** 403: an HTML page for what a browser opens, JSON for the API. */
    static void refuse(Response response, Callback callback, String path, String code, String message) {
        if (path.startsWith("/api/")) {
            error(response, callback, HttpStatus.FORBIDDEN_403, code, message);
            return;
        }
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>huddle web: forbidden</title></head>"
                + "<body><h1>403: forbidden (" + code + ")</h1><p>" + escapeHtml(message) + "</p>"
                + "<p>Run <code>huddle web</code> in your project and open the address it prints: it carries the token of the"
                + " running web cockpit.</p></body></html>";
        text(response, callback, HttpStatus.FORBIDDEN_403, "text/html; charset=utf-8", html);
    }

    /** The page, with this run's token (base64url: nothing to escape). */
    static void page(Response response, Callback callback, String token) {
        String html = load("index.html").replace("{{TOKEN}}", token == null ? "" : token);
        text(response, callback, HttpStatus.OK_200, "text/html; charset=utf-8", html);
    }

    static void resource(Response response, Callback callback, String name, String type) {
        text(response, callback, HttpStatus.OK_200, type, load(name));
    }

    private static String load(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            try (InputStream in = WebReplies.class.getResourceAsStream("/dev/huddle/web/" + n)) {
                if (in == null) throw new IllegalStateException("resource /dev/huddle/web/" + n + " missing from the jar");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static void json(Response response, Callback callback, int status, String json) {
        text(response, callback, status, "application/json", json);
    }

    static void text(Response response, Callback callback, int status, String type, String body) {
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
}
