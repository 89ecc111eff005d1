package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.protocol.MiniJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A front running inside a real tmux pane: the hub proves the pane from the process tree (the pane's process is an
 * ancestor of the agent process) and reports it verified, with session and pane id.
 */
@HubTest
class TmuxLocationIT {
    private TestHome home;
    private Path tmp;
    private Path tmuxSocket;

    @BeforeEach
    void setUp() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null, "tmux not installed");
        tmp = home.newDir("hx-tmux");
        tmuxSocket = tmp.resolve("tmux.sock");
    }

    @AfterEach
    void tearDown() throws Exception {
        run(List.of("tmux", "-S", tmuxSocket.toString(), "kill-server"));
    }

    static String jar() {
        return System.getProperty("huddle.jar", "target/huddle.jar");
    }

    @Test
    void aFrontInATmuxPaneIsLocatedAndVerified() throws Exception {
        Path repo = TestHome.markRepository(Files.createDirectories(tmp.resolve("repo")));
        Path in = tmp.resolve("in.fifo");
        Path out = tmp.resolve("out.fifo");
        run(List.of("mkfifo", in.toString(), out.toString()));
        String java = ProcessHandle.current().info().command().orElse("java");
        String agent = "cd " + repo + " && HUDDLE_HOME=" + home.home() + " HUDDLE_AOT=off " + java
                + " -Xlog:disable -jar " + jar() + " mcp < " + in + " > " + out + "; exit $?";
        run(List.of("tmux", "-S", tmuxSocket.toString(), "new-session", "-d", "-s", "hxtest", "-x", "120", "-y", "30",
                "/bin/sh", "-c", agent));

        try (OutputStream w = Files.newOutputStream(in);
             BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(out), StandardCharsets.UTF_8))) {
            send(w, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"t\"}}}");
            assertThat(r.readLine()).contains("\"id\":1");
            send(w, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            AtomicInteger id = new AtomicInteger(2);
            Map<String, Object> me = await("the terminal lookup, which runs just after the hello").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        send(w, "{\"jsonrpc\":\"2.0\",\"id\":" + id.getAndIncrement()
                                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"get_my_session\",\"arguments\":{}}}");
                        return toolResult(r.readLine());
                    }, m -> m.get("terminal") != null);
            assertThat(me).isNotNull();
            @SuppressWarnings("unchecked")
            Map<String, Object> terminal = (Map<String, Object>) me.get("terminal");
            assertThat(terminal).containsEntry("kind", "tmux").containsEntry("session", "hxtest").containsEntry("verified", true);
            String paneId = run(List.of("tmux", "-S", tmuxSocket.toString(), "display-message", "-p", "-t", "hxtest", "#{pane_id}")).strip();
            assertThat(terminal).containsEntry("pane", paneId);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toolResult(String line) {
        Map<String, Object> msg = MiniJson.parseObject(line);
        Map<String, Object> result = (Map<String, Object>) msg.get("result");
        List<Object> content = (List<Object>) result.get("content");
        return MiniJson.parseObject((String) ((Map<String, Object>) content.getFirst()).get("text"));
    }

    private static void send(OutputStream w, String line) throws IOException {
        w.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        w.flush();
    }

    private static String run(List<String> cmd) throws Exception {
        return run(cmd, Map.of());
    }

    private static String run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TMUX") || k.startsWith("CLAUDE") || k.startsWith("CODEX") || k.startsWith("GEMINI"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
