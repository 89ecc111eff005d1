package dev.huddle.protocol.control;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * The control operations the hub serves: each one's name on the wire (the hello's {@code op}) and its request record;
 * the reply type is the one the record declares ({@code implements ControlRequest<Reply>}).
 */
public enum ControlOp {
    PING("ping", ControlRequest.Ping.class),
    STATUS("status", ControlRequest.Status.class),
    PS("ps", ControlRequest.Ps.class),
    SEND("send", ControlRequest.Send.class),
    LOG("log", ControlRequest.Log.class),
    DIAGNOSE("diagnose", ControlRequest.Diagnose.class),
    STATUS_REPORT("status_report", ControlRequest.ReportStatus.class),
    COCKPIT("cockpit", ControlRequest.Cockpit.class),
    COCKPIT_WATCH("cockpit_watch", ControlRequest.CockpitWatch.class),
    NUDGE("nudge", ControlRequest.Nudge.class),
    READ("read", ControlRequest.Read.class),
    CLAIMS("claims", ControlRequest.Claims.class),
    RELEASE("release", ControlRequest.Release.class),
    WEB("web", ControlRequest.Web.class),
    WEB_STOP("web_stop", ControlRequest.WebStop.class),
    TEAM_STATUS("team_status", ControlRequest.TeamStatus.class),
    STOP("stop", ControlRequest.Stop.class);

    private final String wireName;
    private final Class<? extends ControlRequest<?>> requestType;
    private final Class<?> replyType;

    ControlOp(String wireName, Class<? extends ControlRequest<?>> requestType) {
        this.wireName = wireName;
        this.requestType = requestType;
        this.replyType = replyTypeOf(requestType);
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends ControlRequest<?>> requestType() {
        return requestType;
    }

    public Class<?> replyType() {
        return replyType;
    }

    /** The operation named {@code wireName} on the wire, if the hub serves one. */
    public static Optional<ControlOp> byWireName(String wireName) {
        for (ControlOp op : values()) if (op.wireName.equals(wireName)) return Optional.of(op);
        return Optional.empty();
    }

    /** The operation {@code request} asks for. */
    public static ControlOp of(ControlRequest<?> request) {
        for (ControlOp op : values()) if (op.requestType == request.getClass()) return op;
        throw new IllegalStateException("no control operation for " + request.getClass());
    }

    private static Class<?> replyTypeOf(Class<?> requestType) {
        for (Type t : requestType.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == ControlRequest.class && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                return c;
            }
        }
        throw new IllegalStateException(requestType + " does not name its reply type");
    }
}
