package dev.huddle.it.support;

import dev.huddle.protocol.JvmOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * {@code huddle mcp} with raw stdio: the test writes whatever bytes it likes to the front's stdin and reads its
 * stdout line by line. Every stdout line is kept, so a test can check that nothing but JSON-RPC ever appeared.
 * The front runs either under its own {@code /bin/sh} (which plays the agent process, as in
 * {@code sh -c 'java -jar huddle.jar mcp; exit $?'}) or directly under the test JVM.
 */
public final class RawFront implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final boolean underShell;
    private final OutputStream stdin;
    private final List<String> stdoutLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderrLines = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Object>> responses = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean stdoutClosed;

    private RawFront(Process process, boolean underShell) {
        this.process = process;
        this.underShell = underShell;
        this.stdin = process.getOutputStream();
        Thread.ofVirtual().start(this::readStdout);
        Thread.ofVirtual().start(this::readStderr);
    }

    /** The front's command line, with the JVM flags the launcher uses. */
    static List<String> frontCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestHome.java());
        cmd.addAll(JvmOptions.COMMON);
        cmd.addAll(JvmOptions.FRONT);
        cmd.add("-jar");
        cmd.add(TestHome.jar().toString());
        cmd.add("mcp");
        return cmd;
    }

    /** {@code sh -c 'cd <cwd> && java ... mcp; exit $?'}: the shell is the agent process. */
    public static RawFront underShell(Path cwd, Map<String, String> env) {
        return underShell(cwd, env, "exit $?");
    }

    /** Like {@link #underShell(Path, Map)}, with the agent process running {@code afterFront} once the front exits. */
    public static RawFront underShell(Path cwd, Map<String, String> env, String afterFront) {
        String script = "cd " + quote(cwd.toString()) + " && "
                + String.join(" ", frontCommand().stream().map(RawFront::quote).toList()) + "; " + afterFront;
        return start(List.of("/bin/sh", "-c", script), cwd, env, true);
    }

    /** {@code sh -c 'cd <cwd> && <launcher> mcp; exit $?'}: as an agent runs the front that {@code huddle setup} registered. */
    public static RawFront viaLauncher(Path cwd, Map<String, String> env) {
        String script = "cd " + quote(cwd.toString()) + " && " + quote(TestHome.launcher().toString()) + " mcp; exit $?";
        return start(List.of("/bin/sh", "-c", script), cwd, env, true);
    }

    /** The front as a direct child of the test JVM (several such fronts share one agent process). */
    public static RawFront direct(Path cwd, Map<String, String> env) {
        return start(frontCommand(), cwd, env, false);
    }

    private static RawFront start(List<String> cmd, Path cwd, Map<String, String> env, boolean underShell) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new RawFront(pb.start(), underShell);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stdoutLines.add(line);
                try {
                    Map<String, Object> msg = Json.object(line);
                    if (msg.containsKey("id") && !msg.containsKey("method")) responses.put(idKey(msg.get("id")), msg);
                } catch (RuntimeException notJson) {
                    // kept in stdoutLines, where the JSON-RPC-only assertion reports it
                }
            }
        } catch (IOException ignored) {
            // process gone
        } finally {
            stdoutClosed = true;
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) stderrLines.add(line);
        } catch (IOException ignored) {
            // process gone
        }
    }

    private static String idKey(Object id) {
        return id instanceof Number n ? "n:" + n.longValue() : "s:" + id;
    }

    /** The process the test started: the shell (agent process) or, for a direct front, the front itself. */
    public Process process() {
        return process;
    }

    /** The pid of the agent process as the front sees it (its parent). */
    public long agentPid() {
        return underShell ? process.pid() : ProcessHandle.current().pid();
    }

    /** The pid of the {@code huddle mcp} JVM. */
    public long frontPid() {
        if (!underShell) return process.pid();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> process.toHandle().children().findAny().isPresent());
        return process.toHandle().children().findFirst().orElseThrow().pid();
    }

    public void sendLine(String line) {
        sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void sendBytes(byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the front's stdin is closed", e);
        }
    }

    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Sends a request and returns its id without waiting. */
    public int send(String method, Map<String, Object> params) {
        int id = nextId.getAndIncrement();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) m.put("params", params);
        sendLine(Json.write(m));
        return id;
    }

    public void notify(String method) {
        sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}");
    }

    /** The response with this id, waiting at most {@code timeout}. */
    public Map<String, Object> awaitResponse(Object id, Duration timeout) {
        String key = idKey(id);
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> responses.containsKey(key));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no response with id " + id + " within " + timeout + "; stdout so far: "
                    + stdoutLines + "; stderr: " + stderrLines, e);
        }
        return responses.get(key);
    }

    public Map<String, Object> request(String method, Map<String, Object> params) {
        return awaitResponse(send(method, params), DEFAULT_TIMEOUT);
    }

    /** initialize + notifications/initialized; returns the initialize response. */
    public Map<String, Object> initialize(String clientName) {
        Map<String, Object> r = request("initialize", Map.of(
                "protocolVersion", "2025-06-18",
                "capabilities", Map.of(),
                "clientInfo", Map.of("name", clientName, "version", "1.0.0")));
        notify("notifications/initialized");
        return r;
    }

    public int sendToolCall(String tool, Map<String, Object> args) {
        return send("tools/call", Map.of("name", tool, "arguments", args));
    }

    /** Calls a tool and returns the JSON-RPC response (result or error). */
    public Map<String, Object> callTool(String tool, Map<String, Object> args) {
        return awaitResponse(sendToolCall(tool, args), DEFAULT_TIMEOUT);
    }

    /** Calls a tool with a {@code _meta} (Codex sends {@code threadId} there) and returns its parsed JSON text content. */
    public Map<String, Object> tool(String tool, Map<String, Object> args, Map<String, Object> meta) {
        return toolResult(awaitResponse(send("tools/call", Map.of("name", tool, "arguments", args, "_meta", meta)), DEFAULT_TIMEOUT));
    }

    /** Calls a tool that must succeed at the JSON-RPC level and returns its parsed JSON text content. */
    public Map<String, Object> tool(String tool, Map<String, Object> args) {
        return toolResult(callTool(tool, args));
    }

    public static Map<String, Object> toolResult(Map<String, Object> response) {
        if (response.containsKey("error")) throw new AssertionError("JSON-RPC error instead of a tool result: " + response);
        String text = Json.str(response, "result", "content", 0, "text");
        Objects.requireNonNull(text, () -> "no text content in " + response);
        return Json.object(text);
    }

    public List<String> stdoutLines() {
        synchronized (stdoutLines) {
            return List.copyOf(stdoutLines);
        }
    }

    public List<String> stderrLines() {
        synchronized (stderrLines) {
            return List.copyOf(stderrLines);
        }
    }

    public boolean stdoutClosed() {
        return stdoutClosed;
    }

    @Override
    public void close() {
        closeStdin();
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
