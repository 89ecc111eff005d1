package dev.huddle.cli.watch;

import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.json.Json;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's frames drawn from fixtures of hub state (src/test/resources/cockpit/*.json), compared with the
 * expected screens next to them (NAME.WxH.txt, colour off). After an intended change of the layout, regenerate them
 * with {@code -Dgolden.update=true} and review the diff.
 */
class ScreenTest {
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Path GOLDEN = Path.of("src/test/resources/cockpit");

    static CockpitSnapshot fixture(String name) {
        try (InputStream in = ScreenTest.class.getResourceAsStream("/cockpit/" + name + ".json")) {
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), CockpitSnapshot.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String frame(CockpitSnapshot s, WatchState st, int w, int h) {
        return Screen.plain(Screen.render(s, st, NOW, ZoneOffset.UTC, w, h, false));
    }

    static WatchState live() {
        return new WatchState().link(WatchState.Link.LIVE, NOW, null);
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @CsvSource({"four-agents,80,24", "four-agents,160,40", "deadlock,80,24", "deadlock,120,30", "empty,80,24",
            "all-projects,80,24", "all-projects,120,30"})
    void matchesTheExpectedScreen(String name, int w, int h) throws IOException {
        String actual = frame(fixture(name), live(), w, h);
        assertFits(actual, w, h);
        golden(name + "." + w + "x" + h, actual);
    }

    @Test
    void selectionMovesTheMarkerAndTheDetail() throws IOException {
        WatchState st = live().select("649b30d1");
        String actual = frame(fixture("four-agents"), st, 80, 24);
        assertThat(actual).contains("\n> builder").contains(" builder (649b30d1) · codex · Implements the retry queue");
        golden("four-agents.selected-builder.80x24", actual);
    }

    @Test
    void composingShowsTheLineBeingTyped() throws IOException {
        CockpitSnapshot s = fixture("four-agents");
        WatchState st = live().select("649b30d1");
        st.compose(st.selectedAgent(s), "please rebase on main");
        String actual = frame(s, st, 80, 24);
        assertThat(actual.lines().toList().getLast()).isEqualTo(" message to builder: please rebase on main_  Enter send · Esc cancel");
    }

    @Test
    void aCycleIsMarkedWithoutColourAndRedWithIt() {
        CockpitSnapshot s = fixture("deadlock");
        String plain = frame(s, live(), 80, 24);
        assertThat(plain).contains(" ! deadlock: alpha → bravo → alpha").contains(">!alpha").contains(" !bravo")
                .doesNotContain("!charlie");
        String ansi = Screen.ansi(Screen.render(s, live(), NOW, ZoneOffset.UTC, 80, 24, true));
        assertThat(ansi).contains("\u001b[").containsPattern("\u001b\\[(31;1|1;31)m ! deadlock: alpha → bravo → alpha");
    }

    @Test
    void colourOnEmitsAnsiAndColourOffNone() {
        for (String name : List.of("four-agents", "deadlock", "empty", "all-projects")) {
            CockpitSnapshot s = fixture(name);
            WatchState st = live().notice("sent", false, NOW);
            String off = Screen.ansi(Screen.render(s, st, NOW, ZoneOffset.UTC, 120, 30, false));
            assertThat(off).as(name).doesNotContain("\u001b");
            String on = Screen.ansi(Screen.render(s, st, NOW, ZoneOffset.UTC, 120, 30, true));
            assertThat(on).as(name).contains("\u001b[");
        }
    }

    @Test
    void textFromAgentsCannotDriveTheTerminal() {
        Map<String, Object> snap = MiniJson.parseObject(MiniJson.write(Map.of("generation", 1, "projects", List.of(Map.of(
                "project_root", "/r", "agents", List.of(Map.of("handle", "h1", "name", "evil\u001b[2J", "label", "evil\u001b[2J (h1)",
                        "online", true, "activity", Map.of("state", "busy"), "purpose", "x\u001b]0;title\u0007y",
                        "last_tool", Map.of("name", "Bash", "input", "echo \u001b[31mred\r\nnext"))),
                "feed", List.of(Map.of("seq", 1, "at", "2026-12-05T09:00:00Z", "from", "evil\u001b[2J (h1)", "to", "x",
                        "kind", "message", "body", "\u001b[2Jboom\u009b1m")))))));
        CockpitSnapshot s = Json.fromTree(snap, CockpitSnapshot.class);
        for (boolean color : new boolean[]{false, true}) {
            for (AttributedString l : Screen.render(s, live(), NOW, ZoneOffset.UTC, 160, 30, color)) {
                assertThat(l.toString()).doesNotContain("\u001b", "\u0007", "\r", "\n", "\u009b");
            }
        }
    }

    @Test
    void fiftyAgentsAndTenThousandMessagesFitAnyTerminal() {
        CockpitSnapshot s = big(50, 10_000);
        for (int[] size : new int[][]{{80, 24}, {100, 30}, {200, 60}, {40, 10}, {20, 3}}) {
            for (String sel : new String[]{null, "a0000049", "a0000025"}) {
                String f = frame(s, live().select(sel), size[0], size[1]);
                assertFits(f, size[0], size[1]);
                if (size[1] >= 24) assertThat(f).contains("m9999").contains(" of 50");
                if (sel != null && size[1] >= 10) assertThat(f).contains("> " + "agent-" + sel.substring(6));
            }
        }
    }

    @Test
    void overlayScrollsAndKeepsTheFrameSize() {
        List<AttributedString> lines = new ArrayList<>();
        for (int i = 1; i <= 100; i++) lines.add(new AttributedString("line " + i));
        WatchState st = live().overlay(new WatchState.Overlay("transcript of builder", lines, 10));
        String f = frame(fixture("four-agents"), st, 80, 24);
        assertFits(f, 80, 24);
        assertThat(f).contains("━━ transcript of builder", "11-31 of 100", "\nline 11\n", "\nline 31\n").doesNotContain("line 32");
        String end = frame(fixture("four-agents"), st.overlay(st.overlay().withScroll(1000)), 80, 24);
        assertThat(end).contains("80-100 of 100", "line 100");
    }

    @Test
    void aBannerTakesARowAboveTheKeys() {
        WatchState st = live().banner("demo step 9/16: ask_peer");
        String f = frame(fixture("four-agents"), st, 80, 24);
        assertFits(f, 80, 24);
        List<String> lines = f.lines().toList();
        assertThat(lines.get(22)).isEqualTo(" demo step 9/16: ask_peer");
        assertThat(lines.get(23)).startsWith(" ↑↓ select");
        assertFits(frame(fixture("four-agents"), st, 40, 8), 40, 8); // too small for the banner: left out
    }

    @Test
    void aLostHubIsSaidInTheHeader() {
        WatchState st = new WatchState().link(WatchState.Link.DOWN, NOW.minusSeconds(12), "connection refused");
        String f = frame(fixture("four-agents"), st, 80, 24);
        assertThat(f.lines().findFirst().orElseThrow()).contains("hub unreachable, reconnecting (12s)");
    }

    /** A project with {@code agents} agents (every second one waiting for the next) and a feed of {@code messages}. */
    static CockpitSnapshot big(int agents, int messages) {
        List<Object> as = new ArrayList<>();
        List<Object> waits = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String h = String.format("a%07d", i);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("handle", h);
            a.put("name", "agent-" + String.format("%02d", i));
            a.put("label", "agent-" + String.format("%02d", i) + " (" + h + ")");
            a.put("session_id", h + "-0000");
            a.put("client_type", i % 3 == 0 ? "claude-code" : i % 3 == 1 ? "codex" : "gemini");
            a.put("online", i % 7 != 0);
            a.put("activity", Map.of("state", i % 2 == 0 ? "busy" : "idle"));
            a.put("activity_since", NOW.minusSeconds(i * 37L).toString());
            a.put("unread", i % 5);
            a.put("waits_for", i % 2 == 0 && i + 1 < agents ? List.of("agent-" + String.format("%02d", i + 1) + " (" + String.format("a%07d", i + 1) + ")") : List.of());
            a.put("purpose", "Purpose of agent " + i + ", which is fairly long to see where it gets cut");
            a.put("open_asks", i % 2 == 0 ? 1 : 0);
            a.put("open_obligations", i % 4 == 1 ? 1 : 0);
            a.put("last_tool", Map.of("name", "Edit", "input", "{\"file_path\":\"src/module" + i + "/File.java\"}", "at", NOW.minusSeconds(i).toString()));
            as.add(a);
            if (i % 2 == 0 && i + 1 < agents) {
                waits.add(Map.of("from", a.get("label"), "to", "agent-" + String.format("%02d", i + 1) + " (" + String.format("a%07d", i + 1) + ")",
                        "since", NOW.minusSeconds(60L * i).toString(), "asks", 1, "obligations", 0, "on_cycle", false));
            }
        }
        List<Object> feed = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            feed.add(Map.of("seq", i + 1, "id", Long.toHexString(1_000_000L + i), "at", NOW.minusSeconds(messages - i).toString(),
                    "from", "agent-" + String.format("%02d", i % agents) + " (" + String.format("a%07d", i % agents) + ")",
                    "to", "agent-" + String.format("%02d", (i + 1) % agents) + " (" + String.format("a%07d", (i + 1) % agents) + ")",
                    "kind", i % 3 == 0 ? "ask" : "message", "delivered", "tool", "body", "message m" + i + " with some text ".repeat(5)));
        }
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("project_root", "/home/ana/src/big");
        project.put("agents", as);
        project.put("waits", waits);
        project.put("feed", feed);
        return Json.fromTree(Map.of("generation", 5, "at", NOW.toString(), "projects", List.of(project), "problems", List.of()), CockpitSnapshot.class);
    }

    static void assertFits(String frame, int w, int h) {
        List<String> lines = frame.lines().toList();
        assertThat(lines).as(frame).hasSize(h);
        for (String l : lines) assertThat(Text.cols(l)).as("line too wide: [%s]", l).isLessThanOrEqualTo(w);
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.writeString(file, actual);
            if (!Boolean.getBoolean("golden.update")) throw new AssertionError("wrote missing golden " + file + "; review it and run again");
            return;
        }
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
