package dev.huddle.jmh;

import dev.huddle.cli.watch.Screen;
import dev.huddle.cli.watch.WatchState;
import dev.huddle.protocol.cockpit.ActivityState;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.FeedItem;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.TerminalRef;
import dev.huddle.protocol.cockpit.Wait;
import dev.huddle.protocol.control.WatchLine;
import dev.huddle.protocol.json.Json;
import org.jline.utils.AttributedString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One frame of {@code huddle watch} (issue 7: ≤ 16 ms for 50 agents and a 10,000-message history). The worst case the
 * renderer can be given: 50 agents (half of them waiting, tool calls, purposes), 25 waits, and a feed of all 10,000
 * messages (the hub sends the newest 200; the renderer must not care). Frames at 80×24, 200×60 with colour, and the
 * whole client-side path for the hub's real payload: a stream line of 50 agents and 200 messages parsed (the
 * protocol's codec, {@code protocol.json.Json} → records) and drawn. The terminal write itself (JLine's diff) is in the process-level figure of {@code huddle bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WatchRenderBenchmark {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private CockpitSnapshot history;
    private String streamLine;
    private WatchState state;

    @Setup(Level.Trial)
    public void setUp() {
        history = snapshot(50, 10_000);
        streamLine = Json.write(new WatchLine(snapshot(50, 200), null));
        state = new WatchState().link(WatchState.Link.LIVE, NOW, null).select("a0000025");
        if (!Screen.plain(frame80(history)).contains("m9999")) throw new IllegalStateException("the newest message should show");
        if (!Json.read(streamLine, WatchLine.class).snapshot().sameContent(snapshot(50, 200))) {
            throw new IllegalStateException("the stream line should read back as the snapshot written");
        }
    }

    private List<AttributedString> frame80(CockpitSnapshot s) {
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
    public List<AttributedString> parseStreamLineAndFrame80x24() {
        return frame80(Json.read(streamLine, WatchLine.class).snapshot());
    }

    static CockpitSnapshot snapshot(int agents, int messages) {
        List<AgentStatus> as = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String h = handle(i);
            String label = label(i);
            boolean waiting = i % 2 == 0 && i + 1 < agents;
            as.add(new AgentStatus(h, "agent-" + String.format("%02d", i), label, h + "-1111-4222-8333-444455556666",
                    i % 3 == 0 ? "claude-code" : i % 3 == 1 ? "codex" : "gemini", i % 7 != 0,
                    new ActivityState(i % 2 == 0 ? "busy" : "idle", null), i % 5, waiting ? List.of(label(i + 1)) : List.of(), i % 2,
                    false, "Purpose of agent " + i + ", which is fairly long to see where it gets cut", NOW.minusSeconds(i * 37L), null,
                    i % 2 == 0 ? 1 : 0, i % 4 == 1 ? 1 : 0, i % 3,
                    new LastTool("Edit", "{\"file_path\":\"src/module" + i + "/File.java\",\"old_string\":\"x\"}", NOW.minusSeconds(i), null),
                    new TerminalRef("tmux", "work", "%" + i, true, "tmux work:%" + i, null), null));
            if (waiting) waits.add(new Wait(label, label(i + 1), h, handle(i + 1), NOW.minusSeconds(60L * i), null, 1, 0, false));
        }
        List<FeedItem> feed = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            feed.add(new FeedItem(i + 1, Long.toHexString(1_000_000_000L + i), NOW.minusSeconds(messages - i), label(i % agents),
                    label((i + 1) % agents), i % 3 == 0 ? "ask" : "message", null, "tool", "message m" + i + " " + "with some text ".repeat(25)));
        }
        ProjectStatus project = new ProjectStatus("/home/ana/src/big", as, waits, List.of(), null, List.of(), List.of(), List.of(), feed);
        return new CockpitSnapshot(CockpitSnapshot.VERSION, 5, NOW, "/home/ana/src/big", 1_800_000, true, List.of(), List.of(project), null);
    }

    private static String handle(int i) {
        return String.format("a%07d", i);
    }

    private static String label(int i) {
        return "agent-" + String.format("%02d", i) + " (" + handle(i) + ")";
    }
}
