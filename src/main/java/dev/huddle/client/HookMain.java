package dev.huddle.client;

import dev.huddle.protocol.HubPaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code huddle hook <client> <event>}: the hook for machines without curl. Does what the curl command does (POST
 * stdin to the hub's hook endpoint with the agent's pid) and fails open the same way: any failure, or no answer
 * within the time limit, means exit 0 and no output. Uses only the JDK, before picocli loads.
 */
public final class HookMain {
    private static final long TIME_LIMIT_MS = 2_000;
    private static final int MAX_PAYLOAD = 32 << 20;

    private HookMain() {}

    /** args: {@code hook <client> <event> [--hook-version N]}. 0, or 2 when a rewake waiter wakes the agent. */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream stdout) {
        if (args.length < 3 || !args[1].matches("[a-z]{1,16}") || !args[2].matches("[A-Za-z]{1,40}")) {
            System.err.println("usage: huddle hook <claude|codex|gemini> <Event> (run by the agent client with the event on stdin)");
            return 0;
        }
        long agentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        if (args[2].equals("Rewake")) return rewake(args, env, stdin, agentPid);
        CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
            try {
                byte[] payload = stdin.readNBytes(MAX_PAYLOAD + 1);
                if (payload.length > MAX_PAYLOAD) return null;
                return post(HubPaths.fromEnvironment(env).httpSocket(), "/hooks/" + args[1] + "/" + args[2], agentPid, payload);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
        try {
            byte[] body = answer.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS);
            if (body != null && body.length > 0) {
                stdout.write(body);
                stdout.write('\n');
                stdout.flush();
            }
        } catch (Exception e) {
            // fail open: the agent goes on without huddle's answer
        }
        return 0;
    }

    /**
     * The rewake waiter without curl (see HookCommands.rewake): long-polls until the hub answers; mail goes to
     * stderr with exit 2 (Claude Code's asyncRewake wakes the agent with it), an empty answer ends quietly, a hub
     * that is away or asks to poll again is polled again every 5 s for up to a day.
     */
    private static int rewake(String[] args, Map<String, String> env, InputStream stdin, long agentPid) {
        try {
            byte[] payload = stdin.readNBytes(MAX_PAYLOAD + 1);
            if (payload.length > MAX_PAYLOAD) return 0;
            long end = System.currentTimeMillis() + 86_400_000L;
            while (System.currentTimeMillis() < end) {
                byte[] body;
                try {
                    body = post(HubPaths.fromEnvironment(env).httpSocket(), "/hooks/" + args[1] + "/" + args[2], agentPid, payload);
                } catch (IOException e) {
                    body = null;
                }
                if (body != null) {
                    if (body.length == 0) return 0;
                    System.err.write(body);
                    System.err.println();
                    System.err.flush();
                    return 2;
                }
                Thread.sleep(5_000);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** POSTs the payload to the hub's hook endpoint; the body of a complete 200 answer, else null. */
    static byte[] post(java.nio.file.Path socket, String path, long pid, byte[] payload) throws IOException {
        UnixHttp.Response r = UnixHttp.post(socket, path, Map.of("Content-Type", "application/json", "X-Huddle-Pid", Long.toString(pid)), payload);
        return r != null && r.status() == 200 ? r.body() : null;
    }
}
