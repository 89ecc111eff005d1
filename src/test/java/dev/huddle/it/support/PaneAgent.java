package dev.huddle.it.support;

import dev.huddle.agents.HookCommands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Claude Code stand-in in a tmux pane: the {@link FakeTui} on screen (it logs what is submitted to it) and, as its
 * child, a real front ({@code huddle mcp}) that the test drives through two fifos, so the hub of {@code home} finds the
 * agent process (the TUI) in the pane by the process tree, as for a real client.
 */
public final class PaneAgent implements AutoCloseable {
    public final String name;
    public final String sessionId = UUID.randomUUID().toString();
    private final TestHome home;
    private final Path repo;
    private final Path dir;
    private final Path tmuxSocket;
    private final Path log;
    private OutputStream toFront;
    private BufferedReader fromFront;
    private int nextId = 1;

    /**
     * @param dir        where its fifos, log and pid file go
     * @param tmuxSocket the tmux server it gets a new session {@code name} of (started with it when none runs)
     */
    public PaneAgent(TestHome home, Path repo, Path dir, Path tmuxSocket, String name) {
        this.home = home;
        this.repo = repo;
        this.dir = dir;
        this.tmuxSocket = tmuxSocket;
        this.name = name;
        this.log = dir.resolve(name + ".log");
    }

    /** Starts the pane and waits until the hub has proved it hosts this agent. */
    public PaneAgent start() throws Exception {
        Path in = dir.resolve(name + ".in");
        Path outFifo = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Path pid = dir.resolve(name + ".pid");
        TestHome.Result mk = TestHome.run(dir, home.env(), Duration.ofSeconds(10), List.of("mkfifo", in.toString(), outFifo.toString()));
        assertThat(mk.exit()).as(mk.toString()).isZero();
        String classes = Path.of(FakeTui.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String front = String.join(" ", home.command("mcp").stream().map(HookCommands::shellQuote).toList());
        String cmd = "cd " + q(repo) + "; stty raw -echo; CLAUDECODE=1 CLAUDE_CODE_SESSION_ID=" + sessionId + " " + front
                + " <" + q(in) + " >" + q(outFifo) + " 2>" + q(err) + " & exec " + q(TestHome.java())
                + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp " + q(classes) + " " + FakeTui.class.getName() + " claude " + q(log) + " " + q(pid);
        String created = tmux(home, tmuxSocket, "new-session", "-d", "-s", name, "-x", "120", "-y", "30", "/bin/sh", "-c", cmd);
        assertThat(created).as("tmux new-session").isEmpty();
        toFront = Files.newOutputStream(in); // the front's shell opens its end first: in, then out
        fromFront = new BufferedReader(new InputStreamReader(Files.newInputStream(outFifo), StandardCharsets.UTF_8));
        request("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "claude-code", "version", "t")));
        send(Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Object t = call("get_my_session", Map.of()).get("terminal");
            return t instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("verified")) && "tmux".equals(m.get("kind"));
        });
        return this;
    }

    /** What was submitted in the TUI, one entry per Enter that submitted. */
    public List<String> submissions() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    public synchronized Map<String, Object> call(String tool, Map<String, Object> args) {
        return RawFront.toolResult(request("tools/call", Map.of("name", tool, "arguments", args)));
    }

    private synchronized Map<String, Object> request(String method, Map<String, Object> params) {
        int id = nextId++;
        send(Json.write(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params)));
        try {
            String line;
            while ((line = fromFront.readLine()) != null) {
                Map<String, Object> msg = Json.object(line);
                if (msg.get("id") instanceof Number n && n.intValue() == id) return msg;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the front of " + name + " closed its output");
    }

    private void send(String line) {
        try {
            toFront.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toFront.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (toFront != null) toFront.close(); // the front ends on end of input
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            tmux(home, tmuxSocket, "kill-session", "-t", name); // a server left with no session exits
        }
    }

    /** {@code tmux -S socket args...} with {@code home}'s environment only (the panes get its machine, its hub). */
    public static String tmux(TestHome home, Path socket, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-f", "/dev/null", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(home.env());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String q(Object s) {
        return HookCommands.shellQuote(s.toString());
    }
}
