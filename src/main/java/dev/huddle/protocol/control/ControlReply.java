package dev.huddle.protocol.control;

import dev.huddle.protocol.Version;
import dev.huddle.protocol.json.Json;

import java.util.Map;

/**
 * The reply line of the hub socket: {@code {"ok":true,"hub_version":…,"result":{…}}}, or
 * {@code {"ok":false,"error":<code>,"message":…[,"hint":…][,"details":{…}]}} when the hub says no.
 */
public final class ControlReply {
    private ControlReply() {}

    private record Ok(boolean ok, String hubVersion, Object result) {}

    private record Refused(boolean ok, String error, String message, String hint, Map<String, Object> details) {}

    /** The reply carrying {@code result}. */
    public static String ok(Object result) {
        return Json.write(new Ok(true, Version.CURRENT.version(), result));
    }

    /** The reply saying no. */
    public static String refused(ControlError e) {
        return Json.write(new Refused(false, e.code(), e.message(), e.hint(), e.details()));
    }

    /** The result of a parsed reply that says yes, as {@code type}. */
    public static <R> R result(Map<String, Object> reply, Class<R> type) {
        return Json.fromTree(reply.get("result"), type);
    }

    /** Why a parsed reply says no. */
    public static ControlError error(Map<String, Object> reply) {
        Refused r = Json.fromTree(reply, Refused.class);
        return new ControlError(r.error(), r.message(), r.hint(), r.details());
    }
}
