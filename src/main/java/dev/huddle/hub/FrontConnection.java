package dev.huddle.hub;

import dev.huddle.core.AgentProcess;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connected front (one MCP session). The agent it speaks for is found through its agent process, so every
 * front of one agent process resolves to the same agent, and a re-bind moves them all at once.
 */
public final class FrontConnection {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final int id = SEQ.incrementAndGet();
    private final Hello hello;
    private final AgentProcess agentProcess; // null when the front has no parent we could identify
    private final Instant connectedAt = Instant.now();
    private volatile String fallbackAgentId;
    private volatile String clientName;
    private volatile String clientVersion;
    private volatile boolean closed;

    FrontConnection(Hello hello, AgentProcess agentProcess, String agentId) {
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
    String fallbackAgentId() {
        return fallbackAgentId;
    }

    void fallbackAgentId(String id) {
        this.fallbackAgentId = id;
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
