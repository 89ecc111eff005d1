package dev.huddle.it;

import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real front forwards what the kitty and GNU screen wakers address a pane by: each agent is a shell on a terminal
 * of its own ({@code script(1)} gives it a pty whose foreground it owns, as an agent in a terminal does), started with
 * {@code KITTY_LISTEN_ON}, {@code KITTY_WINDOW_ID}, {@code STY} and {@code WINDOW} set, running a real
 * {@code huddle mcp}; the hub finds fake {@code kitty} and {@code screen} on its PATH that record what they are asked
 * and show an empty composer. An operator message wakes each agent: the wakers address the window and the session the
 * fronts' hellos named. Before the front forwarded them, kitty said "KITTY_LISTEN_ON is not set" and screen "no GNU
 * screen window (WINDOW)". The hub's tmux sees no server (a private TMUX_TMPDIR), so nothing is typed anywhere real.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FrontTerminalEnvIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final String FAKE = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$0.log"
            for a in "$@"; do last="$a"; done
            case "$*" in
              *get-text*) printf '\\342\\224\\202 > \\342\\224\\202\\n' ;;
              *hardcopy*) printf '\\342\\224\\202 > \\342\\224\\202\\n' > "$last" ;;
            esac
            exit 0
            """;

    private TestHome home;
    private Path scratch;
    private Path repo;
    private Path bin;
    private final List<Process> agents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(SCRIPT), "script(1) (util-linux) not installed");
        scratch = Files.createTempDirectory(Path.of("/tmp"), "hx-env", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        bin = Files.createDirectory(scratch.resolve("bin"));
        for (String name : List.of("kitty", "screen")) {
            Path fake = bin.resolve(name);
            Files.writeString(fake, FAKE, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        }
        Path tmuxDir = Files.createDirectory(scratch.resolve("tmux"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        home = TestHome.create().withEnv("HUDDLE_WAKE_TERMINAL", "on") // the keystroke route is what this drives
                .withEnv("PATH", bin + ":/usr/local/bin:/usr/bin:/bin") // the hub finds the fake kitty and screen first
                .withEnv("TMUX_TMPDIR", tmuxDir.toString()); // and no tmux server: the agents are not in one
        repo = home.newDir("repo");
        TestHome.markRepository(repo);
    }

    @AfterEach
    void tearDown() {
        for (Process p : agents) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (home != null) home.close();
        TestHome.deleteRecursively(scratch);
    }

    @Test
    void theKittyAndScreenWakersAddressWhatARealFrontForwarded() throws Exception {
        String kittyAgent = UUID.randomUUID().toString();
        String sty = ProcessHandle.current().pid() + ".hx-screen"; // this JVM stands in for the screen server: an ancestor
        agent(kittyAgent, Map.of("KITTY_LISTEN_ON", "unix:/tmp/hx-kitty-remote", "KITTY_WINDOW_ID", "42",
                "STY", sty, "WINDOW", "3"));
        String screenAgent = UUID.randomUUID().toString();
        agent(screenAgent, Map.of("STY", sty, "WINDOW", "3"));
        awaitTerminal(kittyAgent, "kitty");
        awaitTerminal(screenAgent, "screen");

        Map<String, Object> kittyWake = awaitRouted(send(kittyAgent));
        assertThat(kittyWake).as("the kitty wake").containsEntry("route", "kitty").containsEntry("status", "fired_unconfirmed");
        assertThat((String) kittyWake.get("reason")).contains("typed into kitty pane 42");
        assertThat(log("kitty")).as("kitty @ --to <KITTY_LISTEN_ON> ... --match id:<KITTY_WINDOW_ID>, all from the front's hello")
                .allSatisfy(l -> assertThat(l).startsWith("@ --to unix:/tmp/hx-kitty-remote ").contains("--match id:42"))
                .anySatisfy(l -> assertThat(l).contains("get-text"))
                .anySatisfy(l -> assertThat(l).contains("send-text --match id:42 -- huddle: new messages"));

        Map<String, Object> screenWake = awaitRouted(send(screenAgent));
        assertThat(screenWake).as("the screen wake").containsEntry("route", "screen").containsEntry("status", "fired_unconfirmed");
        assertThat((String) screenWake.get("reason")).contains("typed into screen pane " + sty + ":3");
        assertThat(log("screen")).as("screen -S <STY> -p <WINDOW> -X ..., the window from the front's hello")
                .allSatisfy(l -> assertThat(l).startsWith("-S " + sty + " -p 3 -X "))
                .anySatisfy(l -> assertThat(l).contains("hardcopy"))
                .anySatisfy(l -> assertThat(l).contains("stuff huddle: new messages"));
    }

    /**
     * A Claude Code agent: {@code sh -c '<huddle mcp>; exit $?'} (the shell is the agent process and stays, as in
     * {@code RawFront}) under {@code script}, so the shell leads a session on a pty and has its foreground.
     */
    private void agent(String sessionId, Map<String, String> terminal) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(home.env());
        env.put("SHELL", "/bin/sh");
        env.put("CLAUDECODE", "1");
        env.put("CLAUDE_CODE_SESSION_ID", sessionId);
        env.putAll(terminal);
        String front = String.join(" ", home.command("mcp").stream().map(FrontTerminalEnvIT::quote).toList()) + "; exit $?";
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qfec", front, "/dev/null").directory(repo.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        agents.add(pb.start()); // its stdin stays open: script keeps the pty, the front keeps reading it
    }

    /** Waits until the hub located the agent's terminal (the front's hello, then the registry's look). */
    @SuppressWarnings("unchecked")
    private void awaitTerminal(String sessionId, String kind) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
            TestHome.Result r = home.cli(repo, "ps", "--json");
            if (r.exit() != 0) return false;
            for (Object p : Json.list(r.json(), "projects")) {
                for (Object a : Json.list(p, "agents")) {
                    Map<String, Object> row = (Map<String, Object>) a;
                    if (sessionId.equals(row.get("session_id")) && row.get("terminal") instanceof Map<?, ?> t && kind.equals(t.get("kind"))) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private String send(String sessionId) {
        TestHome.Result sent = home.cli(repo, "send", "--json", sessionId, "the build broke, please look");
        assertThat(sent.exit()).as(sent.toString()).isZero();
        assertThat(sent.stdout()).contains("\"wake_status\":\"will_fire\"");
        Matcher m = Pattern.compile("\"(?:message_id|id)\"\\s*:\\s*\"([0-9a-f]{16})\"").matcher(sent.stdout());
        assertThat(m.find()).as(sent.stdout()).isTrue();
        return m.group(1);
    }

    /** The first route outcome of the message's wake (not its decision), from {@code huddle diagnose --json} (newest first). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitRouted(String messageId) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            found.clear();
            TestHome.Result r = home.cli(repo, "diagnose", "--json");
            for (Object o : Json.list(r.json(), "recent_wakes")) {
                Map<String, Object> row = (Map<String, Object>) o;
                if (messageId.equals(row.get("message_id")) && !"will_fire".equals(row.get("status"))) found.add(row);
            }
            return !found.isEmpty();
        });
        return found.getLast();
    }

    private List<String> log(String fake) throws IOException {
        Path log = bin.resolve(fake + ".log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
