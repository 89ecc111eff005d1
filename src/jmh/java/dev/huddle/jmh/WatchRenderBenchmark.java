package dev.huddle.jmh;

import dev.huddle.cli.watch.Screen;
import dev.huddle.cli.watch.Snapshot;
import dev.huddle.cli.watch.WatchState;
import org.jline.utils.AttributedString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One frame of {@code huddle watch} (issue 7: ≤ 16 ms for 50 agents and a 10,000-message history). The worst case the
 * renderer can be given: 50 agents (half of them waiting, tool calls, purposes), 25 waits, and a feed of all 10,000
 * messages (the hub sends the newest 200; the renderer must not care). Frames at 80×24, 200×60 with colour, and the
 * whole client-side path for the hub's real payload: a stream line of 50 agents and 200 messages parsed (Jackson →
 * records) and drawn. The terminal write itself (JLine's diff) is in the process-level figure of {@code huddle bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WatchRenderBenchmark {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private Snapshot history;
    private String streamLine;
    private WatchState state;

    @Setup(Level.Trial)
    public void setUp() {
        history = Snapshot.parse(snapshot(50, 10_000));
        streamLine = JsonMapper.shared().writeValueAsString(Map.of("snapshot", snapshot(50, 200)));
        state = new WatchState().link(WatchState.Link.LIVE, NOW, null).select("a0000025");
        if (!Screen.plain(frame80(history)).contains("m9999")) throw new IllegalStateException("the newest message should show");
    }

    private List<AttributedString> frame80(Snapshot s) {
        return Screen.render(s, state, NOW, ZoneOffset.UTC, 80, 24, false);
    }

    @Benchmark
    public List<AttributedString> frame80x24History10k() {
        return frame80(history);
    }

    @Benchmark
    public List<AttributedString> frame200x60ColourHistory10k() {
        return Screen.render(history, state, NOW, ZoneOffset.UTC, 200, 60, true);
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public List<AttributedString> parseStreamLineAndFrame80x24() {
        Map<String, Object> line = JsonMapper.shared().readValue(streamLine, Map.class);
        return frame80(Snapshot.parse((Map<String, Object>) line.get("snapshot")));
    }

    static Map<String, Object> snapshot(int agents, int messages) {
        List<Object> as = new ArrayList<>();
        List<Object> waits = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String h = String.format("a%07d", i);
            String label = "agent-" + String.format("%02d", i) + " (" + h + ")";
            String next = "agent-" + String.format("%02d", i + 1) + " (" + String.format("a%07d", i + 1) + ")";
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("handle", h);
            a.put("name", "agent-" + String.format("%02d", i));
            a.put("label", label);
            a.put("session_id", h + "-1111-4222-8333-444455556666");
            a.put("client_type", i % 3 == 0 ? "claude-code" : i % 3 == 1 ? "codex" : "gemini");
            a.put("online", i % 7 != 0);
            a.put("activity", Map.of("state", i % 2 == 0 ? "busy" : "idle"));
            a.put("activity_since", NOW.minusSeconds(i * 37L).toString());
            a.put("unread", i % 5);
            a.put("waits_for", i % 2 == 0 && i + 1 < agents ? List.of(next) : List.of());
            a.put("waited_on_by", i % 2);
            a.put("on_cycle", false);
            a.put("purpose", "Purpose of agent " + i + ", which is fairly long to see where it gets cut");
            a.put("open_asks", i % 2 == 0 ? 1 : 0);
            a.put("open_obligations", i % 4 == 1 ? 1 : 0);
            a.put("claims", i % 3);
            a.put("last_tool", Map.of("name", "Edit", "input", "{\"file_path\":\"src/module" + i + "/File.java\",\"old_string\":\"x\"}",
                    "at", NOW.minusSeconds(i).toString()));
            a.put("terminal", Map.of("kind", "tmux", "session", "work", "pane", "%" + i, "verified", true, "label", "tmux work:%" + i));
            as.add(a);
            if (i % 2 == 0 && i + 1 < agents) {
                waits.add(Map.of("from", label, "to", next, "from_handle", h, "to_handle", String.format("a%07d", i + 1),
                        "since", NOW.minusSeconds(60L * i).toString(), "asks", 1, "obligations", 0, "on_cycle", false));
            }
        }
        List<Object> feed = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            feed.add(Map.of("seq", i + 1, "id", Long.toHexString(1_000_000_000L + i), "at", NOW.minusSeconds(messages - i).toString(),
                    "from", "agent-" + String.format("%02d", i % agents) + " (" + String.format("a%07d", i % agents) + ")",
                    "to", "agent-" + String.format("%02d", (i + 1) % agents) + " (" + String.format("a%07d", (i + 1) % agents) + ")",
                    "kind", i % 3 == 0 ? "ask" : "message", "delivered", "tool", "body", "message m" + i + " " + "with some text ".repeat(25)));
        }
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("project_root", "/home/ana/src/big");
        project.put("agents", as);
        project.put("waits", waits);
        project.put("cycles", List.of());
        project.put("stranded", List.of());
        project.put("stale_obligations", List.of());
        project.put("claims", List.of());
        project.put("feed", feed);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("v", 1);
        s.put("generation", 5);
        s.put("at", NOW.toString());
        s.put("project_root", "/home/ana/src/big");
        s.put("max_obligation_age_ms", 1_800_000);
        s.put("healthy", true);
        s.put("problems", List.of());
        s.put("projects", List.of(project));
        return s;
    }
}
