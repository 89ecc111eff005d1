package dev.huddle.protocol.control;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.json.Json;

import java.util.Map;

/**
 * The hub's one-line answer to a hello, both ways: yes, with the hub's version (a front's also gets the hub's build
 * and pid, a control request its {@code result}), or no, with the {@link ControlError}'s fields.
 * {@code {"ok":true,"hub_version":…,"result":{…}}}, {@code {"ok":false,"error":<code>,"message":…[,"hint":…][,"details":{…}]}}.
 *
 * @param result the reply record of a control request, as written; as read, its JSON tree ({@link #result(Class)})
 */
public record HubReply(boolean ok, String hubVersion, String hubBuild, Long hubPid, Object result, String error, String message,
                       String hint, Map<String, Object> details) {

    /** Yes to a control request, carrying {@code result}. */
    public static HubReply ok(Object result) {
        return new HubReply(true, Version.CURRENT.version(), null, null, result, null, null, null, null);
    }

    /** Yes to a front: the connection carries MCP from now on. */
    public static HubReply welcome() {
        return new HubReply(true, Version.CURRENT.version(), Version.CURRENT.build(), ProcessHandle.current().pid(), null, null, null,
                null, null);
    }

    /** No, and why. */
    public static HubReply refused(ControlError e) {
        return new HubReply(false, null, null, null, null, e.code(), e.message(), e.hint(), e.details());
    }

    /** A reply line as read; throws {@link IllegalArgumentException} when it is not a JSON object. */
    public static HubReply parse(String line) {
        if (!(MiniJson.parse(line) instanceof Map<?, ?> tree)) throw new IllegalArgumentException("the hub's reply is not a JSON object");
        return Json.fromTree(tree, HubReply.class);
    }

    /** The line, without its newline. */
    public String line() {
        return Json.write(this);
    }

    /** The result of a reply read from the wire, as {@code type}. */
    public <R> R result(Class<R> type) {
        return Json.fromTree(result, type);
    }

    /** Why the hub said no (for a reply that says yes: a code of null). */
    public ControlError refusal() {
        return new ControlError(error, message, hint, details);
    }
}
