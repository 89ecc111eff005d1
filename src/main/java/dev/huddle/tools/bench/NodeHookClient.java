package dev.huddle.tools.bench;

import dev.huddle.protocol.MiniJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Node process that POSTs hooks as Claude Code's {@code type: "http"} hooks do (the script
 * {@code bench/http-hook-client.mjs} in the jar: node:http with Claude Code's kept-alive agent), one at a time on the
 * bench's request; it times each POST itself, so the figure is the client's own cost, not this JVM's.
 */
final class NodeHookClient implements AutoCloseable {
    private static final String SCRIPT = "/bench/http-hook-client.mjs";

    /** One POST's answer, timed by Node from the request to the last byte of the answer. */
    record Answer(double ms, int status, long handledUs, boolean reused, String body) {}

    private final Process node;
    private final OutputStream in;
    private final BufferedReader out;

    private NodeHookClient(Process node) {
        this.node = node;
        this.in = node.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The {@code node} on this PATH, or null when there is none. */
    static Path findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "node");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Starts {@code node} on the script (written to {@code dir}); its stderr goes to {@code errFile}. */
    static NodeHookClient start(Path node, Path dir, Map<String, String> env, Path errFile, Consumer<Process> track) throws IOException {
        Path script = dir.resolve("http-hook-client.mjs");
        try (InputStream s = NodeHookClient.class.getResourceAsStream(SCRIPT)) {
            if (s == null) throw new IOException("the jar has no " + SCRIPT);
            Files.write(script, s.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder(node.toString(), script.toString()).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(errFile.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        track.accept(p);
        return new NodeHookClient(p);
    }

    /** The Node process (the process that holds the connection, which the hub proves). */
    long pid() {
        return node.pid();
    }

    /**
     * POSTs {@code body} to {@code url} over the kept-alive connection ({@code fresh}: over a new one, as after 5 s
     * idle), with {@code headers} besides Claude Code's own.
     */
    Answer post(String url, String body, Map<String, String> headers, boolean fresh) throws IOException {
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("url", url);
        cmd.put("body", body);
        cmd.put("headers", headers);
        if (fresh) cmd.put("fresh", true);
        in.write((MiniJson.write(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = out.readLine();
        if (line == null) throw new IOException("the node hook client ended (exit " + (node.isAlive() ? "?" : node.exitValue()) + ")");
        Map<String, Object> a = MiniJson.parseObject(line);
        if (a.get("error") != null) throw new IOException("the node hook client failed: " + a.get("error"));
        return new Answer(((Number) a.get("ms")).doubleValue(), ((Number) a.get("status")).intValue(), ((Number) a.get("handled_us")).longValue(),
                Boolean.TRUE.equals(a.get("reused")), String.valueOf(a.get("body")));
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // gone already
        }
        try {
            if (!node.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) node.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.destroyForcibly();
        }
    }
}
