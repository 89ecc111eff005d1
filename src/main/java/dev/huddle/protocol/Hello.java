package dev.huddle.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first line of every connection to the hub. {@code kind} is {@code mcp} (an MCP front: the stream then carries
 * MCP) or {@code control} (one request, one reply: the CLI), whose {@code op} names a
 * {@link dev.huddle.protocol.control.ControlOp} and whose {@code args} (a JSON object) are its request. Clients build
 * it with {@link #front} or {@link #control} and write it with {@link dev.huddle.protocol.control.HelloLine}; the hub
 * reads and validates it with {@link #parse}.
 *
 * @param deliveryAcks an MCP front that acknowledges each response carrying messages once it wrote it to its stdout
 *                     ({@link #DELIVERY_ACK}); the hub then commits their delivery on that acknowledgement
 */
public record Hello(
        String kind,
        String version,
        String build,
        long pid,
        Long ppid,
        Long ppidStartMs,
        String cwd,
        Map<String, String> env,
        boolean resume,
        boolean autostart,
        String op,
        Map<String, Object> args,
        boolean deliveryAcks) {

    /** The kind of a front's connection: MCP follows the reply. */
    public static final String MCP = "mcp";
    /** The kind of a CLI's connection: one request, one reply. */
    public static final String CONTROL = "control";
    static final int MAX_ENV_VALUE = 4096;

    /**
     * The key of the two lines of the delivery receipt on an MCP connection whose front said {@code delivery_acks}: the
     * hub writes {@code {"huddle_ack":<id>}} just before a response that carries messages, and the front writes the same
     * line back once that response is on its stdout.
     */
    public static final String DELIVERY_ACK = "huddle_ack";

    /**
     * This process's hello as the front of the agent process {@code ppid} (started at {@code ppidStartMs}, both null
     * when unknown), in {@code cwd}, with the agent's variables it forwards ({@link AgentEnv#forwarded}).
     */
    public static Hello front(Long ppid, Long ppidStartMs, String cwd, Map<String, String> env) {
        return new Hello(MCP, Version.CURRENT.version(), Version.CURRENT.build(), ProcessHandle.current().pid(), ppid, ppidStartMs,
                cwd, env, false, true, null, null, false);
    }

    /** This process's hello for the control operation {@code op} with its {@code args}, asked from {@code cwd}. */
    public static Hello control(String op, Map<String, Object> args, String cwd) {
        return new Hello(CONTROL, Version.CURRENT.version(), Version.CURRENT.build(), ProcessHandle.current().pid(), null, null,
                cwd, null, false, true, op, args, false);
    }

    /** This hello, saying whether the front replays a session after losing its hub. */
    public Hello resuming(boolean resume) {
        return new Hello(kind, version, build, pid, ppid, ppidStartMs, cwd, env, resume, autostart, op, args, deliveryAcks);
    }

    /** This hello, saying whether the client starts a new hub when this one hands over (only such a client may ask it to). */
    public Hello autostarting(boolean autostart) {
        return new Hello(kind, version, build, pid, ppid, ppidStartMs, cwd, env, resume, autostart, op, args, deliveryAcks);
    }

    /** This hello, saying whether the front acknowledges the responses that carry messages ({@link #DELIVERY_ACK}). */
    public Hello acknowledgingDeliveries(boolean acks) {
        return new Hello(kind, version, build, pid, ppid, ppidStartMs, cwd, env, resume, autostart, op, args, acks);
    }

    /** Parses a hello line, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static Hello parse(String line) {
        if (!(MiniJson.parse(line) instanceof Map<?, ?> n)) throw new IllegalArgumentException("the hello must be a JSON object");
        if (!(n.get("huddle") instanceof Long v) || v != 1) {
            throw new IllegalArgumentException("not a huddle hello (expected \"huddle\":1 first)");
        }
        String kind = text(n, "kind");
        if (!MCP.equals(kind) && !CONTROL.equals(kind)) throw new IllegalArgumentException("unknown kind '" + kind + "'");
        Map<String, String> env = new LinkedHashMap<>();
        if (n.get("env") instanceof Map<?, ?> e) {
            for (var entry : e.entrySet()) {
                if (entry.getValue() instanceof String s && s.length() <= MAX_ENV_VALUE) env.put(String.valueOf(entry.getKey()), s);
            }
        }
        String cwd = text(n, "cwd");
        if (cwd != null && (cwd.length() > 4096 || !cwd.startsWith("/"))) throw new IllegalArgumentException("cwd must be an absolute path");
        Map<String, Object> args = new LinkedHashMap<>();
        if (n.get("args") instanceof Map<?, ?> a) a.forEach((k, val) -> args.put(String.valueOf(k), val));
        return new Hello(kind, textOr(n, "version", "0.0.0"), textOr(n, "build", ""),
                n.get("pid") instanceof Number pid ? pid.longValue() : 0, positive(n, "ppid"), positive(n, "ppid_start_ms"), cwd, env,
                flag(n, "resume", false), flag(n, "autostart", true), text(n, "op"), args,
                flag(n, "delivery_acks", false));
    }

    private static String text(Map<?, ?> n, String key) {
        return n.get(key) instanceof String s ? s : null;
    }

    private static String textOr(Map<?, ?> n, String key, String def) {
        String v = text(n, key);
        return v == null ? def : v;
    }

    private static Long positive(Map<?, ?> n, String key) {
        return n.get(key) instanceof Long v && v > 0 ? v : null;
    }

    private static boolean flag(Map<?, ?> n, String key, boolean def) {
        return n.get(key) instanceof Boolean b ? b : def;
    }
}
