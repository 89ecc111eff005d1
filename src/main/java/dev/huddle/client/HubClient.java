package dev.huddle.client;

import dev.huddle.protocol.Hello;
import dev.huddle.protocol.control.ControlOp;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubReply;
import dev.huddle.protocol.json.Json;

import java.io.IOException;
import java.util.Map;

/**
 * The typed control client: one request to the hub ({@code kind: "control"}) and its typed reply,
 * {@code AgentList agents = hub.call(new ControlRequest.Ps(false))}. By default it never starts a hub and waits
 * {@link #REPLY_TIMEOUT_MS} for the reply; {@link #startingHub()} and {@link #replyWithin} make variants.
 */
public final class HubClient {
    /** How long to start or reach a hub. */
    private static final long CONNECT_TIMEOUT_MS = 20_000;
    private static final long REPLY_TIMEOUT_MS = 10_000;

    private final HubConnector connector;
    private final String cwd;
    private final boolean autoStart;
    private final long connectMs;
    private final long replyMs;

    private HubClient(HubConnector connector, String cwd, boolean autoStart, long connectMs, long replyMs) {
        this.connector = connector;
        this.cwd = cwd;
        this.autoStart = autoStart;
        this.connectMs = connectMs;
        this.replyMs = replyMs;
    }

    /** A client that asks on behalf of {@code cwd} (the hub resolves "this project" from it). */
    public HubClient(HubConnector connector, String cwd) {
        this(connector, cwd, false, CONNECT_TIMEOUT_MS, REPLY_TIMEOUT_MS);
    }

    /** The hub of this user's environment, asked from the current directory. */
    public static HubClient fromEnvironment() {
        return new HubClient(HubConnector.fromEnvironment(), System.getProperty("user.dir"));
    }

    public HubConnector connector() {
        return connector;
    }

    /** This client, but starting a hub when none runs (and making an older one hand over). */
    public HubClient startingHub() {
        return new HubClient(connector, cwd, true, connectMs, replyMs);
    }

    /**
     * This client, starting a hub when none runs as {@link #startingHub()} does, for a command nobody's session waits
     * for ({@code hub start}, setup, {@code hub restart}): a hub it starts warms itself with a rehearsed session.
     */
    public HubClient startingHubAhead() {
        return new HubClient(connector.aheadOfSessions(), cwd, true, connectMs, replyMs);
    }

    /**
     * This client, for a request the hub may answer only after {@code replyMs} (a {@code log} that waits for news): a
     * hub silent for longer is treated as not there.
     */
    public HubClient replyWithin(long replyMs) {
        return new HubClient(connector, cwd, autoStart, CONNECT_TIMEOUT_MS + Math.max(0, replyMs - REPLY_TIMEOUT_MS), replyMs);
    }

    /** This client, giving up on reaching a hub after {@code connectMs}. */
    public HubClient connectWithin(long connectMs) {
        return new HubClient(connector, cwd, autoStart, connectMs, replyMs);
    }

    /**
     * Sends {@code request} and returns the hub's typed reply.
     *
     * @throws HubConnector.HubUnavailableException no hub answered (none runs, and this client does not start one)
     * @throws ControlRefusedException              the hub said no, with its code and message
     */
    public <R> R call(ControlRequest<R> request) throws IOException {
        try (HubConnector.Connection c = open(request)) {
            return result(request, c.reply());
        }
    }

    /**
     * Opens {@code cockpit_watch}: the reply's first snapshot, then each one the hub pushes.
     *
     * @throws ControlRefusedException the hub refused the request (a bad project, ...)
     */
    public CockpitWatchStream watch(ControlRequest.CockpitWatch request) throws IOException {
        HubConnector.Connection c = open(request);
        try {
            return new CockpitWatchStream(c, result(request, c.reply()));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private HubConnector.Connection open(ControlRequest<?> request) throws IOException {
        try {
            return connector.open(hello(request, cwd), autoStart, connectMs, replyMs);
        } catch (HubConnector.HubRefusedException refused) {
            throw new ControlRefusedException(refused.error());
        }
    }

    /** The hello that carries {@code request}: its operation's wire name as {@code op}, the record as {@code args}. */
    @SuppressWarnings("unchecked")
    static Hello hello(ControlRequest<?> request, String cwd) {
        return Hello.control(ControlOp.of(request).wireName(), (Map<String, Object>) Json.tree(request), cwd);
    }

    /** The typed result of a reply that says yes (the connector throws for the others). */
    private static <R> R result(ControlRequest<R> request, HubReply reply) {
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) ControlOp.of(request).replyType();
        return reply.result(type);
    }
}
