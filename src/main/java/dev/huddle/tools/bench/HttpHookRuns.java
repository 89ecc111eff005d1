package dev.huddle.tools.bench;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The http hook figures of the hooks group (issue 18): the same delivering PreToolUse as the curl hook, POSTed the way
 * Claude Code's {@code type: "http"} hooks post it, by two clients over kept-alive loopback TCP connections to the
 * hub's hook port: Node ({@link NodeHookClient}: node:http with Claude Code's agent settings; the figure that counts)
 * and this JVM's {@code HttpClient} (for comparison). Every {@link #NEW_CONNECTION_EVERY}th Node post opens a new
 * connection first, as Claude Code does after 5 s idle, so the hub proves the caller again: timed apart.
 */
final class HttpHookRuns implements AutoCloseable {
    static final int NEW_CONNECTION_EVERY = 20;

    private final int port;
    private final ClaudeHookShell agent;
    private final ClaudeHookShell.HttpHooks jdk;
    private final NodeHookClient node;
    private final String nodeMissing;
    private final List<Double> jdkMs = new ArrayList<>();
    private final List<Double> nodeMs = new ArrayList<>();
    private final List<Double> nodeInHub = new ArrayList<>();
    private final List<Double> freshMs = new ArrayList<>();
    private final List<Double> freshInHub = new ArrayList<>();
    private int posts;

    private HttpHookRuns(int port, ClaudeHookShell agent, NodeHookClient node, String nodeMissing) {
        this.port = port;
        this.agent = agent;
        this.jdk = new ClaudeHookShell.HttpHooks(port);
        this.node = node;
        this.nodeMissing = nodeMissing;
    }

    /** The clients, once the hub listens on {@code port}; Node's stderr goes to {@code errFile}. */
    static HttpHookRuns open(int port, ClaudeHookShell agent, Path dir, Map<String, String> env, Path errFile,
                             Consumer<Process> track, PrintStream progress) throws IOException {
        Path nodeBin = NodeHookClient.findNode();
        if (nodeBin == null) {
            progress.println("bench: no node on PATH: the http hook figure from a Node client is skipped");
            return new HttpHookRuns(port, agent, null, "no node on PATH");
        }
        return new HttpHookRuns(port, agent, NodeHookClient.start(nodeBin, dir, env, errFile, track), null);
    }

    /** A delivering PreToolUse from the JDK client; its message ids. */
    List<String> jdk(boolean record) throws IOException {
        long t0 = System.nanoTime();
        ClaudeHookShell.HttpAnswer a = jdk.post("PreToolUse", agent.toolPayload());
        double ms = (System.nanoTime() - t0) / 1e6;
        List<String> ids = ClaudeHookShell.delivered(a.body(), "PreToolUse");
        if (a.status() != 200 || ids.isEmpty()) throw new IOException("http PreToolUse (JDK) delivered nothing: " + a);
        if (record) jdkMs.add(ms);
        return ids;
    }

    /** A delivering PreToolUse from the Node client (every {@link #NEW_CONNECTION_EVERY}th on a new connection); its ids. */
    List<String> node(boolean record) throws IOException {
        if (node == null) return List.of();
        boolean fresh = posts++ % NEW_CONNECTION_EVERY == 0;
        // The bench JVM plays the agent (the curl hooks' $PPID); Node, its child, names it, as a hook names its $PPID.
        NodeHookClient.Answer a = node.post(HookCommands.url(port, HookClient.CLAUDE, "PreToolUse"), agent.toolPayload(),
                Map.of(HookCommands.PID_HEADER, Long.toString(ProcessHandle.current().pid())), fresh);
        List<String> ids = ClaudeHookShell.delivered(a.body(), "PreToolUse");
        if (a.status() != 200 || ids.isEmpty()) throw new IOException("http PreToolUse (Node) delivered nothing: " + a);
        if (fresh == a.reused()) throw new IOException("the Node client " + (fresh ? "reused a connection it dropped" : "opened a new connection"));
        if (record) {
            (fresh ? freshMs : nodeMs).add(a.ms());
            (fresh ? freshInHub : nodeInHub).add((double) a.handledUs());
        }
        return ids;
    }

    /** The figures, against the {@code sh} + {@code curl} floor {@code curl} of the same run. */
    void report(Stats curl, Consumer<Figure> put) {
        if (node != null) {
            Stats n = Stats.of(nodeMs);
            Stats h = Stats.of(nodeInHub);
            Stats f = Stats.of(freshMs);
            put.accept(Figure.measured("hook_http_pretooluse_ms", "PreToolUse http hook from Node (no process), " + HooksBench.QUEUED
                    + " queued, delivering", "ms", n, 2.0, String.format(Locale.ROOT, "Claude Code's type:http hook as it posts it (node:http,"
                            + " http.Agent keepAlive lifo timeout 5 s, application/json), timed in Node from the request to the answer's last byte,"
                            + " over one kept-alive loopback TCP connection to the hub's hook port; the same work as the curl hook (confirm the"
                            + " previous offer, deliver); floor in the same run: sh + curl /v1/health %.2f ms, %.1fx this median (target >= 10x);"
                            + " in the hub: median %.0f us, p90 %.0f us", curl.median(), curl.median() / n.median(), h.median(), h.p90())));
            put.accept(Figure.measured("hook_http_new_connection_ms", "  the same on a new connection (caller proven)", "ms", f, null,
                    String.format(Locale.ROOT, "every %dth Node post drops its kept connection first (as Claude Code's agent does after 5 s"
                            + " idle): TCP connect, the hub proves the connection's process (sock_diag, fd table), then the hook; in the hub:"
                            + " median %.0f us, p90 %.0f us", NEW_CONNECTION_EVERY, Stats.of(freshInHub).median(), Stats.of(freshInHub).p90())));
        } else {
            put.accept(Figure.skipped("hook_http_pretooluse_ms", "PreToolUse http hook from Node (no process)", "ms", 2.0, nodeMissing));
        }
        Stats j = Stats.of(jdkMs);
        put.accept(Figure.measured("hook_http_pretooluse_jdk_ms", "  the same from the JDK's HttpClient", "ms", j, null,
                String.format(Locale.ROOT, "java.net.http.HttpClient (HTTP/1.1, kept alive) in the bench JVM, interleaved with the Node posts;"
                        + " %.1fx below the sh + curl floor", curl.median() / j.median())));
    }

    @Override
    public void close() {
        jdk.close();
        if (node != null) node.close();
    }
}
