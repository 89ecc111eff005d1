package dev.huddle.it;

import dev.huddle.agents.HookCommands;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code huddle watch} in a real terminal: a private tmux server (80×24, no user config) runs a shell, the test types
 * the command into it and reads the screen back with {@code capture-pane}. Real hub, real fronts under simulated
 * agents.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WatchTmuxIT {
    private static final Duration SHOWN = Duration.ofSeconds(20);
    private static TestHome home;
    @Project("watchrepo")
    private static Path repo;
    private static SimulatedAgent bob;
    private static SimulatedAgent carol;
    private String server;
    private Path err;

    @BeforeAll
    static void agents() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || Files.isExecutable(Path.of("/usr/local/bin/tmux")), "tmux not installed");
        bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        // A tool call waits for the hub, so bob has joined before carol starts: with no hub running, a front answers
        // initialize at once and joins when the hub is up, and carol could have joined first (the board lists agents
        // in the order they joined).
        assertThat(bob.call("set_my_state", Map.of("name", "bob", "purpose", "Reviews the retry queue"))).containsEntry("ok", true);
        carol = home.agent(repo, "codex-mcp-client", Map.of("CODEX_HOME", "/tmp"));
        carol.call("get_my_session", Map.of(), Map.of("threadId", UUID.randomUUID().toString()));
        assertThat(carol.call("set_my_state", Map.of("name", "carol", "purpose", "Builds the retry queue"))).containsEntry("ok", true);
    }

    @BeforeEach
    void startTmux() throws IOException {
        server = "hw" + UUID.randomUUID().toString().substring(0, 8);
        err = home.newDir("watcherr").resolve("watch.err");
        tmux("new-session", "-d", "-s", server, "-x", "80", "-y", "24", "-c", repo.toString(), "/bin/sh");
        await().atMost(SHOWN).until(() -> capture().contains("#") || capture().contains("$"));
    }

    @AfterEach
    void stopTmux() {
        tmux("kill-server");
    }

    @Test
    void showsTheAgentsFollowsTheHubSendsAMessageAndGivesTheTerminalBack() throws Exception {
        startWatch();
        await().atMost(SHOWN).until(() -> capture().contains("live"));
        String screen = capture();
        assertThat(screen).contains("huddle watch · watchrepo", " · 2 agents, 2 online · healthy")
                .contains("> bob", "  carol", "Reviews the retry queue");
        for (String line : screen.lines().toList()) assertThat(line.length()).isLessThanOrEqualTo(80);

        // a message committed meanwhile appears, pushed by the hub
        assertThat(carol.call("send_message", Map.of("target", "bob", "body", "the retry queue build is green"))).containsEntry("ok", true);
        await().atMost(SHOWN).until(() -> capture().contains("carol → bob [pending] the retry queue build is green"));

        // a wait cycle: bob asks carol (and waits), carol hands bob work; marked on both agents and as a deadlock
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(
                () -> bob.call("ask_peer", Map.of("target", "carol", "body", "which key do retries use?", "timeout_ms", 60_000)));
        await().atMost(SHOWN).until(() -> capture().contains("bob waits for carol"));
        assertThat(carol.call("send_message", Map.of("target", "bob", "body", "rebase onto my branch first", "action_required", true)))
                .containsEntry("ok", true);
        await().atMost(SHOWN).until(() -> capture().contains("! deadlock:"));
        assertThat(capture()).contains(">!bob", " !carol").containsPattern("! deadlock: (bob → carol → bob|carol → bob → carol)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> inbox = (List<Map<String, Object>>) carol.call("read_my_messages", Map.of()).get("messages");
        String askId = inbox.stream().filter(m -> m.get("request_id") != null).findFirst().orElseThrow().get("id").toString();
        assertThat(carol.call("reply_to_message", Map.of("message_id", askId, "body", "the job id"))).containsEntry("ok", true);
        assertThat(ask.get(20, TimeUnit.SECONDS)).containsEntry("ok", true);
        await().atMost(SHOWN).until(() -> !capture().contains("! deadlock:"));

        // s, a message, Enter: the hub stores it as the operator's
        keys("Down");
        await().atMost(SHOWN).until(() -> capture().contains("> carol"));
        keys("s");
        literal("hello from the cockpit");
        await().atMost(SHOWN).until(() -> capture().contains("message to carol: hello from the cockpit"));
        keys("Enter");
        await().atMost(SHOWN).until(() -> capture().contains("sent to carol"));
        TestHome.Result log = home.cli(repo, "log", "--json");
        assertThat(log.exit()).as("%s", log).isZero();
        assertThat(log.stdout().lines().filter(l -> l.contains("hello from the cockpit")).toList())
                .singleElement().asString().contains("\"from\":\"operator\"", "carol");
        await().atMost(SHOWN).until(() -> capture().contains("you → carol [pending] hello from the cockpit"));

        // the help, then q closes it and q quits
        keys("?");
        await().atMost(SHOWN).until(() -> capture().contains("━━ help"));
        keys("q");
        await().atMost(SHOWN).until(() -> capture().contains("━━ messages"));
        keys("q");
        await().atMost(SHOWN).until(() -> capture().contains("WATCH-EXITED 0"));
        assertThat(captureJoined()).as("the alternate screen is left: the shell's screen is back").contains("huddle.jar' 'watch'")
                .doesNotContain("━━ messages");
        assertThat(Files.readString(err)).as("nothing on stderr (no JVM or JLine warnings)").isEmpty();
        assertTerminalModesRestored();
    }

    @Test
    void startsAHubSaysWhenItIsGoneReconnectsAndRestoresTheTerminalWhenKilled(TestHome empty, @Project("emptyrepo") Path dir) throws Exception {
        // no agents: nothing brings a stopped hub back but the test
        TestHome.Result once = empty.cli(dir, "watch", "--once");
        assertThat(once.exit()).as("--once never starts a hub: %s", once).isEqualTo(3);
        assertThat(empty.hubPid()).isEmpty();
        assertThat(empty.cli(dir, "watch").exit()).as("no terminal").isEqualTo(2);
        assertThat(empty.cli(dir, "watch", "--all", "--project", dir.toString()).exit()).isEqualTo(2);
        startWatch("cd " + dir + " && HUDDLE_HOME=" + empty.home() + " ", empty.command("watch"));
        await().atMost(SHOWN).until(() -> capture().contains("live"));
        assertThat(capture()).contains("0 agents, 0 online", "no agents yet");
        assertThat(empty.hubPid()).as("the dashboard started a hub").isPresent();
        TestHome.Result frame = empty.cli(dir, "watch", "--once", "--size", "90x12");
        assertThat(frame.exit()).as("%s", frame).isZero();
        assertThat(frame.stdout().lines().toList()).hasSize(12).first().asString().startsWith("huddle watch · emptyrepo");
        assertThat(frame.stdout()).doesNotContain("\u001b");
        empty.stopHub();
        await().atMost(SHOWN).until(() -> capture().contains("hub unreachable, reconnecting"));
        // it keeps trying: its next try comes to a stand-in in the hub's place, and says it will not start a hub
        assertThat(nextTry(empty)).containsEntry("op", "cockpit_watch").containsEntry("autostart", false);
        assertThat(empty.hubPid()).as("reconnecting never starts a hub").isEmpty();
        empty.startHub();
        await().atMost(SHOWN).until(() -> capture().contains("live"));
        TestHome.signal(watchPid(), "TERM");
        await().atMost(SHOWN).until(() -> capture().contains("WATCH-EXITED 143"));
        assertThat(capture()).doesNotContain("━━ messages");
        assertTerminalModesRestored();
    }

    @Test
    void demoWatchShowsTheDemoLiveThenCleansUpAfterQ() throws Exception {
        startWatch("", home.command("demo", "--watch"));
        await().atMost(Duration.ofSeconds(150)).until(() -> capture().contains("demo passed: press q to quit"));
        String screen = capture();
        assertThat(screen).contains("huddle watch · app · 4 agents", "reviewer", "builder", "tester", "nightly")
                .contains("reviewer → nightly [?] Did last night's build pass?");
        keys("q");
        await().atMost(Duration.ofSeconds(60)).until(() -> capture().contains("WATCH-EXITED"));
        String after = captureJoined();
        assertThat(after).contains("Demo passed in", "WATCH-EXITED 0").doesNotContain("━━ messages");
        assertThat(Files.readString(err)).isEmpty();
    }

    /** Listens in the place of {@code home}'s hub for the next client, and returns its hello; the place is empty again after. */
    private static Map<String, Object> nextTry(TestHome home) throws Exception {
        Path socket = home.paths().mcpSocket();
        try (ServerSocketChannel standIn = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            standIn.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> hello = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel client = standIn.accept()) {
                    return new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Thread::startVirtualThread);
            return Json.object(hello.get(SHOWN.toSeconds(), TimeUnit.SECONDS));
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private void startWatch() {
        startWatch("", home.command("watch"));
    }

    private void startWatch(String prefix, List<String> cmd) {
        String line = prefix + String.join(" ", cmd.stream().map(HookCommands::shellQuote).toList()) + " 2>" + err + "; echo WATCH-EXITED $?";
        literal(line);
        keys("Enter");
    }

    private void assertTerminalModesRestored() {
        literal("stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo STTY-DONE");
        keys("Enter");
        await().atMost(SHOWN).until(() -> capture().matches("(?s).*-?icanon -?echo STTY-DONE.*"));
        assertThat(capture().lines()).as("the shell's terminal modes: canonical input, echo").contains("icanon echo STTY-DONE");
    }

    /** The shell's child: the watch's JVM. */
    private long watchPid() {
        long shell = Long.parseLong(tmux("display-message", "-p", "-t", server, "#{pane_pid}").strip());
        return ProcessHandle.of(shell).orElseThrow().children().findFirst().orElseThrow().pid();
    }

    private String capture() {
        return tmux("capture-pane", "-p", "-t", server);
    }

    /** The screen with wrapped lines joined (a long command line). */
    private String captureJoined() {
        return tmux("capture-pane", "-p", "-J", "-t", server);
    }

    private void keys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", server));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private void literal(String text) {
        tmux("send-keys", "-t", server, "-l", text);
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(home.env());
        pb.environment().put("PS1", "$ ");
        pb.environment().put("TERM", "xterm-256color");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
