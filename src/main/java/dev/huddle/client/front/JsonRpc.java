package dev.huddle.client.front;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.json.KeepNull;
import dev.huddle.protocol.tools.McpCatalogue;
import dev.huddle.protocol.tools.Tools;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small JSON-RPC helpers for the front (no Jackson here): its messages as records, written by the protocol's codec. */
final class JsonRpc {
    private static final String VERSION = "2.0";

    private JsonRpc() {}

    private record Request(String jsonrpc, Object id, String method, Object params) {}

    private record Failure(int code, String message) {}

    /** An error answers its request even when the id could not be read ({@code "id":null}). */
    private record ErrorResponse(String jsonrpc, @KeepNull Object id, Failure error) {}

    private record Response(String jsonrpc, Object id, Object result) {}

    static String asString(Object o) {
        return o instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    static String request(Object id, String method, Object params) {
        return Json.write(new Request(VERSION, id, method, params));
    }

    static String error(Object id, int code, String message) {
        return Json.write(new ErrorResponse(VERSION, id, new Failure(code, message)));
    }

    /** What a call in flight gets when its hub goes. */
    static String inFlightLost(String why) {
        return "huddle: " + why + " while this call was in flight; it may or may not have taken effect. Check (for example"
                + " with get_my_session) and retry.";
    }

    static String result(Object id, Object result) {
        return Json.write(new Response(VERSION, id, result));
    }

    /** A failure with huddle's structured detail: a code a program can test and the next step for a human. */
    private record Detail(String code, String hint) {}

    private record DetailedFailure(int code, String message, Detail data) {}

    private record DetailedErrorResponse(String jsonrpc, @KeepNull Object id, DetailedFailure error) {}

    static String error(Object id, int code, String message, String detailCode, String hint) {
        return Json.write(new DetailedErrorResponse(VERSION, id, new DetailedFailure(code, message, new Detail(detailCode, hint))));
    }

    /**
     * The hub's {@code initialize} answer, given by the front itself (the catalogue ships with the jar); with a
     * {@code reason} when the hub is known to be down, its instructions say so.
     */
    static String initialize(Object id, Map<String, Object> params, String reason) {
        Object requested = params == null ? null : params.get("protocolVersion");
        String instructions = reason == null ? Tools.INSTRUCTIONS
                : "huddle's hub is unavailable (" + reason + "); its tools fail until it is back."
                + " The front keeps retrying. A human can run `huddle doctor`.";
        return result(id, McpCatalogue.initializeResult(requested, instructions));
    }

    /** The hub's {@code tools/list} answer, from the catalogue that ships with the jar. */
    static String toolsList(Object id) {
        return result(id, McpCatalogue.toolsListResult());
    }

    /** The JSON-encoded id of a response line (no "method"), or null. Cheap: full parse of small lines only. */
    static String responseIdKey(byte[] line) {
        if (line.length > 256 * 1024) return sniffKey(new String(line, 0, 4096, StandardCharsets.UTF_8));
        try {
            Map<String, Object> m = MiniJson.parseObject(new String(line, StandardCharsets.UTF_8));
            if (m.containsKey("method") || !m.containsKey("id")) return null;
            return MiniJson.write(m.get("id"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sniffKey(String prefix) {
        Object id = sniffId(prefix);
        return id == null ? null : MiniJson.write(id);
    }

    /** Whether {@code msg} has no id (a notification) or one the front may answer under: a string or an integer. */
    static boolean validId(Map<String, Object> msg) {
        if (!msg.containsKey("id")) return true;
        Object id = msg.get("id");
        return id instanceof String || id instanceof Long || id instanceof Integer;
    }

    /** Best-effort "id" from the start of a line too long or too broken to parse. */
    static Object sniffId(String prefix) {
        var m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.){0,200}\"|-?\\d{1,18})")
                .matcher(prefix);
        if (!m.find()) return null;
        String v = m.group(1);
        try {
            return MiniJson.parse(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
