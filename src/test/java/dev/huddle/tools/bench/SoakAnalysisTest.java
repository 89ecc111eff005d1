package dev.huddle.tools.bench;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SoakAnalysisTest {
    private static final String P = SoakSettings.POINTER;

    private static SoakAnalysis.Event ev(long t, String ev, Object... kv) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("t", t);
        f.put("ev", ev);
        for (int i = 0; i + 1 < kv.length; i += 2) f.put(String.valueOf(kv[i]), kv[i + 1]);
        return new SoakAnalysis.Event(t, ev, f);
    }

    private static SoakAnalysis.Msg msg(String id, String to, long at) {
        return new SoakAnalysis.Msg(id, "b", to, at, null, null, false, "auto", null, null);
    }

    @Test
    void eachInvariantCountsWhatBreaksIt() {
        Map<String, List<SoakAnalysis.Event>> agents = new LinkedHashMap<>();
        agents.put("a", new ArrayList<>(List.of(
                ev(0, "idle"),
                ev(1_000, "accept", "text", P),                 // woken by m1
                ev(1_200, "recv", "id", "m1", "via", "hook_prompt"),
                ev(3_000, "line_busy", "text", "x"),            // a keystroke into a busy agent
                ev(4_000, "recv", "id", "m2", "via", "hook_stop"),
                ev(5_000, "idle"),
                ev(5_001, "accept", "text", "x", "queued", true), // the line that came in while busy: counted once
                ev(5_900, "idle"),
                ev(11_010, "accept", "text", "task-1: do it"),  // the human's prompt
                ev(14_000, "idle"),
                ev(20_000, "accept", "text", "draft-2: half" + P), // a pointer glued to a draft
                ev(22_000, "idle"))));
        agents.put("b", new ArrayList<>(List.of(ev(0, "idle"))));
        List<SoakAnalysis.Human> human = List.of(
                new SoakAnalysis.Human("a", "draft", 6_000, 9_000, "draft-0: x", null),
                new SoakAnalysis.Human("a", "prompt", 10_000, 11_000, "task-1: do it", null),
                new SoakAnalysis.Human("b", "draft", 30_000, 33_000, "draft-3: y", "draft-3: y" + P));
        List<SoakAnalysis.Msg> msgs = List.of(
                msg("m1", "a", 500),     // idle, reached
                msg("m2", "a", 2_000),   // busy, reached before idle
                msg("m3", "a", 7_000),   // during a draft, never reached
                msg("m4", "b", 8_000),   // idle, never reached
                msg("m5", "a", 5_100));  // within the margin of going idle: not classified
        List<SoakAnalysis.Wake> wakes = List.of(
                new SoakAnalysis.Wake("m1", "a", null, "will_fire", "hookless", 500, null),
                new SoakAnalysis.Wake("m1", "a", "tmux", "fired", "submitted", 1_050, 540L),
                new SoakAnalysis.Wake("m1", "a", "tmux", "confirmed", "the agent has it", 6_050, null),
                new SoakAnalysis.Wake("m2", "a", null, "skipped_busy", "busy", 2_000, null),
                new SoakAnalysis.Wake("m3", "a", null, "will_fire", "auto", 7_000, null),
                new SoakAnalysis.Wake("m3", "a", "tmux", "skipped_human_typing", "draft", 7_020, 20L),
                new SoakAnalysis.Wake("m4", "b", null, "will_fire", "auto", 8_000, null),
                new SoakAnalysis.Wake("m4", "b", "tmux", "failed", "boom", 8_100, 100L));

        SoakAnalysis.Result r = new SoakAnalysis(agents, human, msgs, wakes, P, 30_000).run();

        assertThat(r.keystrokesIntoBusy()).singleElement().satisfies(row -> assertThat(row.get("text")).isEqualTo("x"));
        assertThat(r.altered()).hasSize(2);
        assertThat(r.altered().get(0).get("text")).isEqualTo("draft-2: half" + P);
        assertThat(r.altered().get(1).get("seen")).isEqualTo("draft-3: y" + P);
        assertThat(r.idleNotWoken()).singleElement().satisfies(row -> {
            assertThat(row.get("message")).isEqualTo("m4");
            assertThat(row.get("wake").toString()).contains("failed via tmux: boom");
        });
        assertThat(r.busyNotDelivered()).isEmpty();
        assertThat(r.recipientStateAtCommit()).containsEntry("idle", 2).containsEntry("busy", 1)
                .containsEntry("human_typing", 1).containsEntry("transition", 1);
        assertThat(r.draftNeverReceived()).isEqualTo(1);
        assertThat(r.wakeToLineMs()).containsExactly(500.0);
        assertThat(r.idleReceiveMs()).containsExactly(700.0);
        assertThat(r.decisions()).containsEntry("will_fire", 3).containsEntry("skipped_busy", 1);
        assertThat(r.outcomes()).containsEntry("fired", 1).containsEntry("skipped_human_typing", 1).containsEntry("failed", 1);
        assertThat(r.verdicts()).containsExactly(java.util.Map.entry("confirmed", 1));
        assertThat(r.pointerLines()).isEqualTo(1);
        assertThat(r.humanPrompts()).isEqualTo(1);
        assertThat(r.drafts()).isEqualTo(2);
    }

    @Test
    void aBusyRecipientMustHaveTheMessageWhenItIsIdleAgain() {
        Map<String, List<SoakAnalysis.Event>> agents = Map.of("a", List.of(
                ev(0, "idle"), ev(1_000, "accept", "text", P), ev(9_000, "idle"), ev(30_000, "recv", "id", "m1", "via", "read")));
        SoakAnalysis.Result r = new SoakAnalysis(agents, List.of(), List.of(msg("m1", "a", 3_000)), List.of(), P, 30_000).run();
        assertThat(r.busyNotDelivered()).singleElement().satisfies(row -> assertThat(row.get("recipient_idle_at")).isEqualTo(9_000L));
    }

    @Test
    void aRetriedWakeIsTimedFromItsOwnDecision() {
        Map<String, List<SoakAnalysis.Event>> agents = Map.of("a", List.of(ev(0, "idle"), ev(20_600, "accept", "text", P), ev(29_000, "idle")));
        List<SoakAnalysis.Wake> wakes = List.of(
                new SoakAnalysis.Wake("m1", "a", null, "will_fire", "auto", 1_000, null),
                new SoakAnalysis.Wake("m1", "a", "tmux", "skipped_human_typing", "draft", 1_020, 20L),
                new SoakAnalysis.Wake("m1", "a", null, "will_fire", "retry", 20_000, null),
                new SoakAnalysis.Wake("m1", "a", "tmux", "fired", "submitted", 20_560, 550L));
        SoakAnalysis.Result r = new SoakAnalysis(agents, List.of(), List.of(), wakes, P, 30_000).run();
        assertThat(r.wakeToLineMs()).containsExactly(600.0);
        assertThat(r.decisions()).containsEntry("will_fire", 2);
    }

    @Test
    void aWakeDecidedWhileTheAgentWorksIsListed() {
        Map<String, List<SoakAnalysis.Event>> agents = Map.of("a", List.of(ev(0, "idle"), ev(1_000, "accept", "text", P), ev(9_000, "idle")));
        List<SoakAnalysis.Wake> wakes = List.of(new SoakAnalysis.Wake("m1", "a", null, "will_fire", "auto", 1_040, null));
        SoakAnalysis.Result r = new SoakAnalysis(agents, List.of(), List.of(), wakes, P, 30_000).run();
        assertThat(r.wakesIntoBusyAgents()).singleElement().satisfies(row -> assertThat(row.get("ms_after_turn_start")).isEqualTo(40L));
    }

    @Test
    void theHumanSeesAnIdleAgentOnlyAtAnEmptyComposerUnderItsIdleMark() {
        SoakTmux.Screen idle = new SoakTmux.Screen(List.of("a00: hi", "  ✓ idle", "›", "", ""), 2, 2);
        SoakTmux.Screen busy = new SoakTmux.Screen(List.of("  • working… 3 s", "›", ""), 2, 1);
        SoakTmux.Screen draft = new SoakTmux.Screen(List.of("  ✓ idle", "› draft-1: the parser", ""), 23, 1);
        assertThat(SoakHuman.idleScreen(idle)).isTrue();
        assertThat(SoakHuman.idleScreen(busy)).isFalse();
        assertThat(SoakHuman.idleScreen(draft)).isFalse();
        assertThat(SoakHuman.composer(idle)).isEmpty();
        assertThat(SoakHuman.composer(draft)).isEqualTo("draft-1: the parser");
        assertThat(SoakHuman.composer(new SoakTmux.Screen(List.of("  ✓ idle"), 0, 0))).isNull();
    }

    @Test
    void thePointerTheSoakLooksForIsWhatTheHubTypes() throws Exception {
        Method m = Class.forName("dev.huddle.hub.wake.WakeService").getDeclaredMethod("wakeText");
        m.setAccessible(true);
        assertThat(m.invoke(null)).isEqualTo(SoakSettings.POINTER);
    }
}
