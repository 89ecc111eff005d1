package dev.huddle.client.front;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Small JSON-RPC helpers for the front (no Jackson here). */
final class JsonRpc {
    private JsonRpc() {}

    static String error(Object id, int code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("error", e);
        return MiniJson.write(m);
    }

    static String result(Object id, Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("result", result);
        return MiniJson.write(m);
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
