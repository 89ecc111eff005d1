package dev.huddle.hub.control;

import dev.huddle.protocol.Version;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shape of a control reply that succeeded. */
final class ControlReplies {
    private ControlReplies() {}

    static Map<String, Object> ok(Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("hub_version", Version.CURRENT.version());
        m.put("result", result);
        return m;
    }
}
