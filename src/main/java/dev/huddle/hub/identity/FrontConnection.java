package dev.huddle.hub.identity;

import dev.huddle.protocol.Hello;

import dev.huddle.core.identity.AgentProcess;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connected front (one MCP session). The agent it speaks for is found through its agent process, so every
 * front of one agent process resolves to the same agent, and a re-bind moves them all at once; unless the front is
 * bound on its own ({@link #ownBinding()}): its tool calls named its session, or it was given an agent of its own
 * because its process hosts several sessions (Codex's shared {@code app-server}).
 */
public final class FrontConnection {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final int id = SEQ.incrementAndGet();
    private final Hello hello;
    private final AgentProcess agentProcess; // null when the front has no parent we could identify
    private final Instant connectedAt = Instant.now();
    private volatile String fallbackAgentId;
    private volatile boolean ownBinding;
    private volatile String clientName;
    private volatile String clientVersion;
    private volatile boolean closed;

    public FrontConnection(Hello hello, AgentProcess agentProcess, String agentId) {
        this.hello = hello;
        this.agentProcess = agentProcess;
        this.fallbackAgentId = agentId;
    }

    public int id() {
        return id;
    }

    public Hello hello() {
        return hello;
    }

    public AgentProcess agentProcess() {
        return agentProcess;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** The agent id last resolved for this front; the registry re-resolves through the process. */
    public String fallbackAgentId() {
        return fallbackAgentId;
    }

    public void fallbackAgentId(String id) {
        this.fallbackAgentId = id;
    }

    /** Whether this front speaks for {@link #fallbackAgentId()} whatever agent its process is linked to. */
    boolean ownBinding() {
        return ownBinding;
    }

    /** Binds this front, and only this front, to {@code agentId}. */
    void bindOwn(String agentId) {
        this.fallbackAgentId = agentId;
        this.ownBinding = true;
    }

    /** Back to following the process link (the agent it was bound to is gone). */
    void unbindOwn() {
        this.ownBinding = false;
    }

    public String clientName() {
        return clientName;
    }

    public String clientVersion() {
        return clientVersion;
    }

    void clientInfo(String name, String version) {
        this.clientName = name;
        this.clientVersion = version;
    }

    public boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
