package dev.huddle.it;

import dev.huddle.it.support.ClaudeCode;
import dev.huddle.it.support.ClaudeTui;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.ScriptedModel;
import dev.huddle.it.support.ScriptedModel.Reply;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for issue 15: message committed → the woken Claude Code session's next model request, over the route
 * {@code async_rewake}, with the real interactive Claude Code 2.1.329 in tmux; and, in the same run, the floor:
 * <ul>
 *   <li><b>Claude Code's own reaction</b>: a second session whose only hook is a bare {@code asyncRewake} Stop hook
 *       (no huddle) that blocks reading a FIFO; the test writes a line, the hook prints it to stderr and exits 2, and
 *       the clock stops at the session's next model request. No wake route can be faster than this.</li>
 *   <li><b>one hook run</b>: {@code sh -c 'curl --unix-socket …'} against the hub, answered at once (the woken turn's
 *       UserPromptSubmit hook costs one).</li>
 * </ul>
 * Each huddle wake is split into the hub's part (commit → the waiter's answer written, the wake row's time) and the
 * rest (curl, the hook exiting 2, Claude Code starting the turn, its UserPromptSubmit hook, its request). Prints a
 * table; asserts only that every wake went through {@code async_rewake}. {@code -Dhuddle.figures.wakes=N} (default 12).
 *
 * <pre>./mvnw -B verify -Dit.test=ClaudeCodeWakeFiguresIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@HubTest
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClaudeCodeWakeFiguresIT {
    private static final int WAKES = Integer.getInteger("huddle.figures.wakes", 12);
    private static final Duration STEP = Duration.ofSeconds(30);
    /** The wake policy's debounce per agent (2 s, not a setting), and a margin. */
    private static final long DEBOUNCE_MS = 2_100;
    /** The wake policy's rate limit: 6 wakes per agent in 300 s. */
    private static final int WAKES_PER_SESSION = 6;

    private TestHome hub;
    private ClaudeCode claudeCode;
    @Project(value = "ccwf", git = true)
    private Path repo;
    private ClaudeTui tui;
    private ClaudeCode bare;
    private ClaudeTui bareTui;

    @BeforeEach
    void setUp() {
        tui = ClaudeTui.withHuddleSetup(claudeCode, repo);
    }

    @AfterEach
    void tearDown() {
        tui.close();
        if (bareTui != null) bareTui.close();
        if (bare != null) bare.close();
    }

    @Test
    void commitToTheWokenSessionsModelRequestWithItsFloor() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // The wake policy allows 6 wakes per agent in 5 minutes (not a setting): enough sessions, woken in turn.
        int sessions = (WAKES + WAKES_PER_SESSION - 1) / WAKES_PER_SESSION;
        List<String> ids = new ArrayList<>();
        List<ScriptedModel> models = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            ids.add(UUID.randomUUID().toString());
            models.add(claudeCode.model(r -> Reply.text("Noted.")));
            tui.start("bob" + s, models.get(s), ids.get(s), "Say ready.", "mcp__huddle");
        }
        List<Long> total = new ArrayList<>(), hubPart = new ArrayList<>(), clientPart = new ArrayList<>();
        Instant[] lastFired = new Instant[sessions];
        java.util.Arrays.fill(lastFired, Instant.EPOCH);
        for (int i = 1; i <= WAKES; i++) {
            int s = (i - 1) % sessions;
            awaitArmed(ids.get(s));
            long left = Duration.between(Instant.now(), lastFired[s].plusMillis(DEBOUNCE_MS)).toMillis();
            if (left > 0) Thread.sleep(left); // on purpose: the debounce must be over for the next message to wake him
            String body = "wake " + i + " of " + WAKES + " (" + tag + ")";
            TestHome.Result send = hub.cli(repo, "send", "--json", ids.get(s), body);
            Map<String, Object> sent = Json.map(send.json(), "messages", 0);
            assertThat(sent).as("huddle send %d%n%s", i, send).containsEntry("wake_status", "will_fire");
            String id = Json.str(sent, "message_id");
            ScriptedModel.Request woken = awaitRequest(models.get(s), body);
            Instant committed = Instant.ofEpochMilli(Long.parseLong(column("SELECT created_at FROM messages WHERE id = ?", id)));
            await("the wake of " + id + " recorded", () -> column("SELECT at FROM wakes WHERE message_id = ? AND route = 'async_rewake'", id) != null);
            Instant fired = Instant.ofEpochMilli(Long.parseLong(column("SELECT at FROM wakes WHERE message_id = ? AND route = 'async_rewake'", id)));
            total.add(Duration.between(committed, woken.at()).toMillis());
            hubPart.add(Duration.between(committed, fired).toMillis());
            clientPart.add(Duration.between(fired, woken.at()).toMillis());
            lastFired[s] = fired;
        }
        List<Long> reaction = bareReaction(WAKES);
        List<Long> hookRun = hookRuns(WAKES * 2);

        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        StringBuilder table = new StringBuilder("ClaudeCodeWakeFiguresIT: Claude Code 2.1.329, route async_rewake, " + WAKES
                + " wakes; load average (1, 5, 15 min, runnable/total, last pid) at the end: " + load + "\n");
        table.append(String.format(Locale.ROOT, "%-72s %8s %8s %8s %8s %4s%n", "figure (ms)", "median", "p90", "min", "max", "n"));
        row(table, "commit -> woken session's next model request", total);
        row(table, "  of which: commit -> the waiter's answer written (hub)", hubPart);
        row(table, "  of which: answer written -> model request (curl, exit 2, Claude Code)", clientPart);
        row(table, "floor: bare asyncRewake hook (no huddle) exits 2 -> model request", reaction);
        row(table, "floor: one hook run, sh + curl --unix-socket -> hub answer", hookRun);
        System.err.print(table);
        for (ScriptedModel m : models) assertThat(m.scriptFailures()).isEmpty();
    }

    /**
     * Claude Code's own reaction, the floor of every asyncRewake route: a session (its own HOME, no huddle) whose one
     * Stop hook is {@code asyncRewake} and blocks on a FIFO. Each line written to the FIFO wakes it.
     */
    private List<Long> bareReaction(int n) throws Exception {
        bare = ClaudeCode.in(hub);
        Path fifo = bare.home().resolve("wake.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        String hook = "cat >/dev/null; read l < '" + fifo + "'; printf 'bare wake %s\\n' \"$l\" >&2; exit 2";
        Files.createDirectories(bare.home().resolve(".claude"));
        Files.writeString(bare.home().resolve(".claude/settings.json"), Json.write(Map.of("hooks", Map.of("Stop", List.of(
                Map.of("hooks", List.of(Map.of("type", "command", "command", hook, "async", true, "asyncRewake", true, "timeout", 86_400))))))));
        bare.skipFirstRunDialogs(repo);
        ScriptedModel model = bare.model(r -> Reply.text("Noted."));
        bareTui = ClaudeTui.in(bare, repo);
        bareTui.start("bare", model, UUID.randomUUID().toString(), "Say ready.");
        List<Long> ms = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String line = "#" + i;
            Instant wrote = writeWhenRead(fifo, line);
            ScriptedModel.Request woken = awaitRequest(model, "bare wake " + line + "\n");
            ms.add(Duration.between(wrote, woken.at()).toMillis());
        }
        return ms;
    }

    /** Writes a line to the FIFO once the hook has it open (the open blocks until then); the time of the write. */
    private static Instant writeWhenRead(Path fifo, String line) throws Exception {
        CompletableFuture<Instant> done = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                done.complete(Instant.now());
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(STEP.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@code n} hook runs as installed (sh, curl over the Unix socket), to an endpoint the hub answers at once (404). */
    private List<Long> hookRuns(int n) throws Exception {
        String cmd = "curl -s --max-time 2 --unix-socket '" + hub.paths().httpSocket() + "' -H 'Expect:' --data-binary @- "
                + "'http://huddle/hooks/claude/NoSuchEvent' >/dev/null; exit 0";
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < n + 3; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("{\"session_id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            }
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            if (i >= 3) ms.add((System.nanoTime() - t0) / 1_000_000); // 3 warm-ups
        }
        return ms;
    }

    private static void row(StringBuilder b, String what, List<Long> ms) {
        List<Long> s = ms.stream().sorted().toList();
        b.append(String.format(Locale.ROOT, "%-72s %8d %8d %8d %8d %4d%n", what, pct(s, 50), pct(s, 90), s.getFirst(), s.getLast(), s.size()));
    }

    /** Nearest rank. */
    private static long pct(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static ScriptedModel.Request awaitRequest(ScriptedModel model, String text) {
        await("a model request with \"" + text.strip() + "\"", () -> model.mainRequests().stream().anyMatch(r -> r.lastMessageText().contains(text)));
        return model.mainRequests().stream().filter(r -> r.lastMessageText().contains(text)).findFirst().orElseThrow();
    }

    private void awaitArmed(String sessionId) {
        await(sessionId + " idle with its rewake waiter armed", () -> Json.list(hub.cli(repo, "diagnose", "--json").json(), "agents").stream()
                .anyMatch(a -> sessionId.equals(Json.str(a, "session_id")) && Boolean.TRUE.equals(Json.at(a, "rewake_armed"))
                        && "idle".equals(Json.str(a, "activity"))));
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().alias(what).atMost(STEP).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }

    private String column(String sql, String arg) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub.paths().database()); var st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
