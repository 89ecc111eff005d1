package dev.huddle.it.support;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ClientType;
import dev.huddle.terminal.Composer;
import dev.huddle.terminal.InputLine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One interactive Gemini CLI in a pane of a private tmux server, as a human starts it in a repository where huddle is
 * set up, and what a test asks about it: its session (bound by its {@code SessionStart} hook), its composer as the
 * real screen shows it, its model's requests, and the hub's rows about its messages and wakes (read from the
 * database beside the hub, which SQLite allows).
 */
public final class GeminiTui {
    public static final Duration STEP = Duration.ofSeconds(40);
    /** What Gemini CLI 0.61 shows in its empty composer. */
    public static final String PLACEHOLDER = "Type your message or @path/to/file";
    private static final Composer COMPOSER = AgentClients.installed().of(ClientType.GEMINI).map(AgentClient::composer).orElseThrow();

    private final TestHome hub;
    private final TmuxServer tmux;
    private final Path repo;
    private final ScriptedGemini model;
    private final String pane;
    private String session;

    private GeminiTui(TestHome hub, TmuxServer tmux, Path repo, ScriptedGemini model, String pane) {
        this.hub = hub;
        this.tmux = tmux;
        this.repo = repo;
        this.model = model;
        this.pane = pane;
    }

    /** Starts {@code gemini} (no prompt) in a new tmux session {@code name} in {@code repo}, and waits for it to be bound and idle. */
    public static GeminiTui start(TestHome hub, Gemini gemini, TmuxServer tmux, Path repo, ScriptedGemini model, String name) {
        Map<String, String> env = gemini.env(model);
        env.put("TERM", "xterm-256color");
        String pane = tmux.newSession(name, 120, 40, repo, env, List.of(Gemini.binary().toString()));
        GeminiTui tui = new GeminiTui(hub, tmux, repo, model, pane);
        tui.await("Gemini's empty composer on screen, its session bound by its SessionStart hook", () -> {
            tui.session = tui.boundSession().orElse(null);
            return tui.session != null && tui.showsEmptyComposer();
        });
        return tui;
    }

    public String pane() {
        return pane;
    }

    public String session() {
        return session;
    }

    public ScriptedGemini model() {
        return model;
    }

    /** The session id of the online, bound Gemini agent the hub located in this pane (its terminal, proven by the process tree). */
    private Optional<String> boundSession() {
        TestHome.Result ps = hub.cli(repo, "ps", "--json");
        if (ps.exit() != 0) return Optional.empty();
        for (Object p : Json.list(ps.json(), "projects")) {
            for (Object a : Json.list(p, "agents")) {
                if ("gemini".equals(Json.str(a, "client_type")) && Boolean.TRUE.equals(Json.at(a, "online"))
                        && Boolean.TRUE.equals(Json.at(a, "bound")) && pane.equals(Json.str(a, "terminal", "pane"))) {
                    return Optional.ofNullable(Json.str(a, "session_id"));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the screen shows Gemini's empty composer, as a human sees it (independent of huddle's reading): the
     * placeholder, with the cursor on its row.
     */
    public boolean showsEmptyComposer() {
        TmuxServer.Screen s = tmux.capture(pane);
        List<String> rows = s.plain().lines().toList();
        return s.cursorY() < rows.size() && rows.get(s.cursorY()).contains(PLACEHOLDER);
    }

    /** What huddle reads in the composer now ("" when empty), or null when it recognises no input line. */
    public String composer() {
        TmuxServer.Screen s = tmux.capture(pane);
        return InputLine.find(COMPOSER, s.text(), s.cursorX(), s.cursorY()).map(InputLine.Draft::text).orElse(null);
    }

    /**
     * Types a prompt and submits it as a human does: Enter once the text shows (Gemini takes an Enter within 30 ms of
     * the last key it handled for a newline).
     */
    public void submit(String text) {
        tmux.type(pane, text);
        await("the prompt shows in the composer", () -> tmux.capture(pane).plain().contains(text));
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tmux.keys(pane, "Enter");
    }

    public void awaitComposer(String text) {
        await("the composer holds \"" + text + "\"", () -> text.equals(composer()));
    }

    /** Idle (its last turn ended: AfterAgent) or never active, with an empty composer, and past the wake debounce. */
    public void awaitIdleAndEmpty() {
        await("Gemini idle with an empty composer", () -> showsEmptyComposer() && !"busy".equals(activity()));
        lastFiredWake().ifPresent(at -> {
            long left = Duration.between(Instant.now(), at.plusMillis(2_100)).toMillis(); // the wake policy's 2 s debounce
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    private String activity() {
        TestHome.Result d = hub.cli(repo, "diagnose", "--json");
        if (d.exit() != 0) return null;
        return Json.list(d.json(), "agents").stream().filter(a -> session.equals(Json.str(a, "session_id")))
                .map(a -> Json.str(a, "activity")).findFirst().orElse(null);
    }

    /** {@code huddle send --json <session> <body>} as the operator; returns the message id. */
    public String send(String body) {
        TestHome.Result send = hub.cli(repo, "send", "--json", session, body);
        assertThat(send.exit()).as("huddle send%n%s", send).isZero();
        return Json.str(Json.map(send.json(), "messages", 0), "message_id");
    }

    public ScriptedGemini.Request awaitRequestContaining(String s, String what) {
        await(what, () -> model.mainRequests().stream().anyMatch(r -> r.contains(s)));
        return model.mainRequests().stream().filter(r -> r.contains(s)).findFirst().orElseThrow();
    }

    /** Waits until {@code huddle log} shows the message delivered {@code via}. */
    public void awaitDelivered(String messageId, String via) {
        await(messageId + " delivered via " + via, () -> via.equals(logRow(messageId).map(m -> Json.str(m, "delivered")).orElse(null)));
    }

    private Optional<Map<String, Object>> logRow(String messageId) {
        TestHome.Result log = hub.cli(repo, "log", "--json");
        if (log.exit() != 0) return Optional.empty();
        return log.stdout().lines().filter(l -> !l.isBlank()).map(Json::object)
                .flatMap(o -> o.containsKey("messages") ? Json.list(o, "messages").stream().map(m -> Json.map(m)) : Stream.of(o))
                .filter(m -> messageId.equals(Json.str(m, "id"))).findFirst();
    }

    /** The message's wake rows, oldest first, as {@code route/status}. */
    public List<String> wakeRows(String messageId) {
        return wakes(messageId, "coalesce(route, 'none') || '/' || status");
    }

    public List<String> wakeReasons(String messageId) {
        return wakes(messageId, "coalesce(reason, '')");
    }

    private List<String> wakes(String messageId, String column) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db(); var st = c.prepareStatement("SELECT " + column + " FROM wakes WHERE message_id = ? ORDER BY id")) {
            st.setString(1, messageId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    /** When the terminal wake of the message was submitted (its {@code fired} row's time: after the Enter). */
    public Instant firedAt(String messageId) {
        return wakes(messageId, "CASE WHEN status = 'fired' THEN at END").stream().filter(java.util.Objects::nonNull)
                .map(at -> Instant.ofEpochMilli(Long.parseLong(at))).findFirst().orElseThrow(() -> new AssertionError("no fired wake of " + messageId));
    }

    /** When the message was committed (its row's {@code created_at}). */
    public Instant committedAt(String messageId) {
        try (Connection c = db(); var st = c.prepareStatement("SELECT created_at FROM messages WHERE id = ?")) {
            st.setString(1, messageId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) throw new AssertionError("no message " + messageId);
                return Instant.ofEpochMilli(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Optional<Instant> lastFiredWake() {
        if (session == null) return Optional.empty();
        try (Connection c = db(); var st = c.prepareStatement(
                "SELECT max(w.at) FROM wakes w JOIN agents a ON a.agent_id = w.target_id WHERE a.session_id = ? AND w.status = 'fired'")) {
            st.setString(1, session);
            try (ResultSet rs = st.executeQuery()) {
                long at = rs.next() ? rs.getLong(1) : 0;
                return at > 0 ? Optional.of(Instant.ofEpochMilli(at)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Prints commit → the woken session's first request (of any kind) and its conversation request, for the record. */
    public void report(String what, String messageId, ScriptedGemini.Request woken) {
        Instant committed = committedAt(messageId);
        Instant first = model.requests().stream().map(ScriptedGemini.Request::at).filter(t -> !t.isBefore(committed)).min(Instant::compareTo).orElse(woken.at());
        System.err.printf("GeminiTui: %s %s: commit -> first request %d ms -> streamGenerateContent %d ms (commit -> it %d ms)%n",
                what, messageId, Duration.between(committed, first).toMillis(), Duration.between(first, woken.at()).toMillis(),
                Duration.between(committed, woken.at()).toMillis());
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + hub.paths().database());
    }

    public void await(String what, Callable<Boolean> condition) {
        try {
            org.awaitility.Awaitility.await().alias(what).atMost(STEP).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            TestHome.Result wakes = hub.cli(repo, "diagnose");
            throw new AssertionError(e.getMessage() + "\n--- pane\n" + tmux.capture(pane).plain() + "\n--- " + model.describe()
                    + "\n--- huddle diagnose\n" + wakes.stdout() + wakes.stderr(), e);
        }
    }
}
