package dev.huddle.tools.bench;

import dev.huddle.protocol.MiniJson;
import dev.huddle.tools.aot.ChildJava;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The soak's figures and report: the agents' logs, the human's log and the hub's database analysed
 * ({@link SoakAnalysis}), the figures put, the details added to the bench report, the logs kept for a look.
 */
final class SoakReport {
    private final Path database;
    private final SoakSettings settings;
    private final PrintStream progress;
    private final Consumer<Figure> put;
    private final BiConsumer<String, Object> extra;

    SoakReport(Path database, SoakSettings settings, PrintStream progress, Consumer<Figure> put, BiConsumer<String, Object> extra) {
        this.database = database;
        this.settings = settings;
        this.progress = progress;
        this.put = put;
        this.extra = extra;
    }

    void write(Path logs, List<String> names, long trafficEnd, long end, Map<String, Object> bindings,
               Map<String, Object> diagnose, List<SoakAnalysis.Human> human) throws IOException {
        Map<String, List<SoakAnalysis.Event>> agentEvents = new LinkedHashMap<>();
        for (String n : names) agentEvents.put(n, SoakLog.read(logs, n));
        Db db = readDb();
        SoakAnalysis.Result r = new SoakAnalysis(agentEvents, human, db.messages(), db.wakes(), SoakSettings.POINTER, SoakSettings.IDLE_BOUND_MS).run();
        double minutes = settings.minutes();
        String how = String.format(Locale.ROOT, "%d simulated Codex sessions (hooks as installed, front a child of the agent) in tmux panes,"
                + " %.1f min of traffic; a simulated human typed %d drafts and %d prompts into idle panes", names.size(), minutes, r.drafts(), r.humanPrompts());
        put.accept(count("soak_keystrokes_into_busy", "soak: keystrokes into busy agents", r.keystrokesIntoBusy().size(), 0.0,
                how + "; a line (text or a bare Enter) that reached an agent during its turn"));
        put.accept(count("soak_drafts_altered", "soak: drafts altered or submitted by a wake", r.altered().size(), 0.0,
                "a submitted line other than exactly the pointer or a prompt the human submitted, or a draft/prompt the human found"
                        + " changed before clearing/submitting it; wake routes that overlapped the human's typing: " + r.collisions().size()));
        put.accept(count("soak_idle_not_woken", "soak: idle recipients not reached within " + SoakSettings.IDLE_BOUND_MS / 1000 + " s", r.idleNotWoken().size(), 0.0,
                String.format(Locale.ROOT, "messages committed while the recipient sat idle at an empty composer: %d reached in time, %d not"
                        + " (their wakes: %s); recipient state at commit: %s", r.idleReceiveMs().size(), r.idleNotWoken().size(),
                        missReasons(r.idleNotWoken()), r.recipientStateAtCommit())));
        put.accept(count("soak_busy_not_delivered", "soak: busy recipients not reached by the end of their turn", r.busyNotDelivered().size(), 0.0,
                "messages committed during the recipient's turn that had not reached it when it went idle again (the Stop hook"
                        + " should have carried them); each would then wait for the next wake or prompt"));
        put.accept(count("soak_messages", "soak: messages exchanged", r.messages(), null,
                String.format(Locale.ROOT, "%.1f per minute; by kind: %s; lines accepted by agents: %d (%d wake pointers, %d human prompts)",
                        r.messages() / Math.max(0.01, minutes), r.messagesByKind(), r.linesAccepted(), r.pointerLines(), r.humanPrompts())));
        put.accept(r.wakeToLineMs().isEmpty() ? Figure.skipped("soak_wake_latency_ms", "soak: wake decided → pointer line at the agent", "ms", 700.0, "no wake fired")
                : Figure.measured("soak_wake_latency_ms", "soak: commit (wake decided) → pointer line at the agent", "ms", Stats.of(r.wakeToLineMs()), 700.0,
                "the hub's decision time (right after the commit) to the submitted pointer reaching the agent's stdin: pane proof, draft check,"
                        + " Codex's 500 ms gap, Enter; under the soak's load"));
        if (!r.routeMs().isEmpty()) {
            put.accept(Figure.measured("soak_wake_route_ms", "soak: tmux route duration (hub, fired wakes)", "ms", Stats.of(r.routeMs()), null,
                    "from the route's start to its verified outcome (includes the verify window)"));
        }
        if (!r.idleReceiveMs().isEmpty()) {
            put.accept(Figure.measured("soak_idle_receive_ms", "soak: commit → an idle recipient has the message", "ms", Stats.of(r.idleReceiveMs()), null,
                    "wake, pointer submitted, UserPromptSubmit hook (delivers) or read_my_messages"));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("settings", settings.toString());
        s.put("traffic_minutes", minutes);
        s.put("settle_s", (end - trafficEnd) / 1000.0);
        s.put("bindings", bindings);
        s.put("messages_by_kind", r.messagesByKind());
        s.put("recipient_state_at_commit", r.recipientStateAtCommit());
        s.put("wake_decisions", r.decisions());
        s.put("wake_outcomes", r.outcomes());
        s.put("wake_timer_verdicts", r.verdicts());
        s.put("human_drafts", r.drafts());
        s.put("human_prompts", r.humanPrompts());
        s.put("agent_errors", r.hookErrors());
        s.put("keystrokes_into_busy", cap(r.keystrokesIntoBusy()));
        s.put("drafts_altered", cap(r.altered()));
        s.put("wake_human_collisions", cap(r.collisions()));
        s.put("idle_not_woken", cap(r.idleNotWoken()));
        s.put("busy_not_delivered", cap(r.busyNotDelivered()));
        s.put("wakes_decided_for_busy_agents", cap(r.wakesIntoBusyAgents()));
        s.put("draft_time_messages_received_ms", r.draftReceiveMs().isEmpty() ? null : Stats.of(r.draftReceiveMs()).toString());
        s.put("draft_time_messages_never_received", r.draftNeverReceived());
        s.put("diagnose_wake_summary", diagnose.get("wake_summary"));
        extra.accept("soak", s);
        StringBuilder humanLog = new StringBuilder();
        for (SoakAnalysis.Human h : human) {
            humanLog.append(MiniJson.write(SoakAnalysis.row("agent", h.agent(), "kind", h.kind(), "t0", h.t0(), "t1", h.t1(), "text", h.text(),
                    "disturbed", h.disturbed()))).append('\n');
        }
        Files.writeString(logs.resolve("human.jsonl"), humanLog);
        Path keep = Path.of(System.getProperty("java.io.tmpdir"), "huddle-soak-last");
        copyLogs(logs, keep);
        progress.println("bench: soak: logs copied to " + keep);
    }

    /** How many misses each wake outcome explains ("skipped_rate_limited" ×3, ...). */
    private static Map<String, Integer> missReasons(List<Map<String, Object>> misses) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Map<String, Object> m : misses) {
            List<?> w = m.get("wake") instanceof List<?> l ? l : List.of();
            String last = w.isEmpty() ? "no wake recorded" : String.valueOf(w.getLast()).replaceAll("[: ].*", "");
            out.merge(last, 1, Integer::sum);
        }
        return out;
    }

    private static Figure count(String id, String label, int n, Double target, String note) {
        return Figure.measured(id, label, "count", Stats.of(List.of((double) n)), target, note);
    }

    private static List<Map<String, Object>> cap(List<Map<String, Object>> l) {
        return l.size() <= 50 ? l : l.subList(0, 50);
    }

    private record Db(List<SoakAnalysis.Msg> messages, List<SoakAnalysis.Wake> wakes) {
    }

    /** The hub's messages and wakes, by agent name (read-only, while the hub runs: SQLite WAL allows it). */
    private Db readDb() throws IOException {
        Path db = database;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro", new java.util.Properties());
             Statement st = c.createStatement()) {
            Map<String, String> names = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT agent_id, name FROM agents")) {
                while (rs.next()) names.put(rs.getString(1), rs.getString(2));
            }
            List<SoakAnalysis.Msg> msgs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id, sender_id, recipient_id, created_at, request_id, reply_to, action_required, wake,"
                    + " delivered_at, delivered_via FROM messages ORDER BY seq")) {
                while (rs.next()) {
                    long deliveredAt = rs.getLong(9);
                    Long delivered = rs.wasNull() ? null : deliveredAt;
                    msgs.add(new SoakAnalysis.Msg(rs.getString(1), names.get(rs.getString(2)), names.get(rs.getString(3)), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), delivered, rs.getString(10)));
                }
            }
            List<SoakAnalysis.Wake> wakes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT message_id, target_id, route, status, reason, at, duration_ms FROM wakes ORDER BY id")) {
                while (rs.next()) {
                    long ms = rs.getLong(7);
                    Long duration = rs.wasNull() ? null : ms;
                    wakes.add(new SoakAnalysis.Wake(rs.getString(1), names.get(rs.getString(2)), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), duration));
                }
            }
            return new Db(msgs, wakes);
        } catch (SQLException e) {
            throw new IOException("reading the soak hub's database failed: " + e.getMessage(), e);
        }
    }

    static void copyLogs(Path from, Path to) {
        try {
            ChildJava.deleteTree(to);
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
            }
        } catch (IOException ignored) {
            // the figures are what matters
        }
    }
}
