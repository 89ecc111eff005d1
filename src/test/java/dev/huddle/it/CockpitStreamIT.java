package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.TestHome;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cockpit's stream ({@code cockpit_watch}) from a real hub, spoken to over its socket as huddle watch does: the
 * reply carries the first snapshot, a message an agent sends arrives as a new snapshot line (no polling: the hub
 * pushes it), a watcher that hangs up is forgotten, and a hub that stops ends the stream.
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CockpitStreamIT {

    /** A watcher: the open connection, read line by line. */
    private record Watch(SocketChannel channel, BufferedReader lines) implements AutoCloseable {
        @SuppressWarnings("unchecked")
        Map<String, Object> next() throws IOException {
            String line = lines.readLine();
            return line == null ? null : MiniJson.parseObject(line);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static Watch watch(TestHome home, Path cwd, Map<String, Object> args) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(home.paths().mcpSocket()));
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("huddle", 1);
        hello.put("kind", "control");
        hello.put("version", Version.CURRENT.version());
        hello.put("build", Version.CURRENT.build());
        hello.put("pid", ProcessHandle.current().pid());
        hello.put("autostart", false);
        hello.put("op", "cockpit_watch");
        hello.put("args", args);
        hello.put("cwd", cwd.toString());
        OutputStream out = Channels.newOutputStream(ch);
        out.write((MiniJson.write(hello) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new Watch(ch, new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> feed(Map<String, Object> snapshot) {
        Map<String, Object> project = (Map<String, Object>) ((List<?>) snapshot.get("projects")).getFirst();
        return (List<Map<String, Object>>) project.get("feed");
    }

    private static int watchers(TestHome home) {
        return ((Number) home.cli("hub", "status", "--json").json().get("cockpit_watchers")).intValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void snapshotsArePushedAfterEachChangeUntilTheWatcherOrTheHubGoes(TestHome home, @Project Path repo) throws Exception {
        SimulatedAgent alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        try {
            assertThat(alice.call("set_my_state", Map.of("name", "alice", "purpose", "parser"))).containsEntry("ok", true);
            assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
            try (Watch w = watch(home, repo, Map.of())) {
                Map<String, Object> reply = w.next();
                assertThat(reply).as("%s", reply).containsEntry("ok", true);
                Map<String, Object> first = (Map<String, Object>) reply.get("result");
                assertThat(first).containsEntry("v", 1L).containsEntry("project_root", repo.toString());
                assertThat(first.toString()).contains("alice (", "parser", "bob (");
                await().atMost(Duration.ofSeconds(10)).until(() -> watchers(home) == 1);

                long t0 = System.nanoTime();
                assertThat(alice.call("send_message", Map.of("target", "bob", "body", "the lexer is done"))).containsEntry("ok", true);
                Map<String, Object> pushed = null;
                while (pushed == null) {
                    Map<String, Object> line = w.next();
                    assertThat(line).as("the stream ended early").isNotNull();
                    if (line.get("snapshot") instanceof Map<?, ?> s && feed((Map<String, Object>) s).stream()
                            .anyMatch(m -> "the lexer is done".equals(m.get("body")))) {
                        pushed = (Map<String, Object>) s;
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).as("acknowledged send to pushed snapshot, ms").isLessThan(5_000);
                assertThat(feed(pushed).getLast()).containsEntry("kind", "message").containsEntry("to", feed(pushed).getLast().get("to"));
            }
            await("a watcher that hung up is forgotten by its next write").atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        alice.call("set_my_state", Map.of("purpose", "parser " + System.nanoTime())); // a change: the hub writes to it
                        return watchers(home) == 0;
                    });

            // another project's path and --all: both answer; a watcher with nonsense arguments gets defaults
            try (Watch all = watch(home, home.home(), Map.of("all", true, "max_obligation_age_ms", "soon"))) {
                Map<String, Object> reply = all.next();
                assertThat(reply).as("%s", reply).containsEntry("ok", true);
                assertThat((Map<String, Object>) reply.get("result")).doesNotContainKey("project_root")
                        .containsEntry("max_obligation_age_ms", 1_800_000L);
                home.stopHub();
                long t1 = System.nanoTime();
                Map<String, Object> line;
                do {
                    line = all.next();
                } while (line != null);
                assertThat((System.nanoTime() - t1) / 1_000_000).as("the stream ends with the hub, ms").isLessThan(15_000);
            }
        } finally {
            alice.close();
            bob.close();
        }
    }
}
