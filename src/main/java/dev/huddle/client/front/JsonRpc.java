package dev.huddle.client.front;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.json.KeepNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Small JSON-RPC helpers for the front (no Jackson here): its messages as records, written by the protocol's codec. */
final class JsonRpc {
    private static final String VERSION = "2.0";

    private JsonRpc() {}

    private record Request(String jsonrpc, Object id, String method, Object params) {}

    private record Failure(int code, String message) {}

    /** An error answers its request even when the id could not be read ({@code "id":null}). */
    private record ErrorResponse(String jsonrpc, @KeepNull Object id, Failure error) {}

    private record Response(String jsonrpc, Object id, Object result) {}

    static String request(Object id, String method, Object params) {
        return Json.write(new Request(VERSION, id, method, params));
    }

    static String error(Object id, int code, String message) {
        return Json.write(new ErrorResponse(VERSION, id, new Failure(code, message)));
    }

    static String result(Object id, Object result) {
        return Json.write(new Response(VERSION, id, result));
    }

    static String degradedInitialize(Object id, Map<String, Object> params, String reason) {
        Object requested = params == null ? null : params.get("protocolVersion");
        String version = requested instanceof String s
                && Set.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25").contains(s) ? s : "2025-06-18";
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocolVersion", version);
        r.put("capabilities", Map.of("tools", Map.of("listChanged", false)));
        r.put("serverInfo", Map.of("name", "huddle", "version", Version.CURRENT.version()));
        r.put("instructions", "huddle's hub is unavailable (" + reason + "); its tools fail until it is back."
                + " The front keeps retrying. A human can run `huddle doctor`.");
        return result(id, r);
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
