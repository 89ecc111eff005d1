package dev.huddle.core.messaging;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.huddle.core.messaging.WaitGraph.Kind.ASK;
import static dev.huddle.core.messaging.WaitGraph.Kind.OBLIGATION;
import static org.assertj.core.api.Assertions.assertThat;

class WaitGraphTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    static WaitGraph.Edge e(String from, String to, WaitGraph.Kind kind, int minutesAgo) {
        return new WaitGraph.Edge(from, to, kind, T0.minusSeconds(60L * minutesAgo), from + to + minutesAgo);
    }

    @Test
    void foldsReasonsBetweenTwoAgentsKeepingTheLongestWait() {
        WaitGraph g = WaitGraph.of(List.of(e("a", "b", ASK, 2), e("a", "b", OBLIGATION, 30), e("a", "b", OBLIGATION, 5), e("b", "c", ASK, 1)));
        assertThat(g.waits()).containsExactly(
                new WaitGraph.Wait("a", "b", T0.minusSeconds(1800), 1, 2),
                new WaitGraph.Wait("b", "c", T0.minusSeconds(60), 1, 0));
        assertThat(g.hasCycle()).isFalse();
        assertThat(g.cycles()).isEmpty();
    }

    @Test
    void twoAgentsAskingEachOtherAreADeadlock() {
        WaitGraph g = WaitGraph.of(List.of(e("b", "a", ASK, 1), e("a", "b", ASK, 1), e("c", "a", OBLIGATION, 3)));
        assertThat(g.cycles()).containsExactly(List.of("a", "b"));
        assertThat(g.onCycles()).containsExactly("a", "b"); // c waits on the cycle but is not on it
    }

    @Test
    void findsEveryElementaryCycleInOrder() {
        // a→b→c→a, a→c→a, and the self-wait d→d
        WaitGraph g = WaitGraph.of(List.of(e("a", "b", ASK, 1), e("b", "c", ASK, 1), e("c", "a", ASK, 1),
                e("a", "c", OBLIGATION, 1), e("d", "d", ASK, 1), e("c", "e", ASK, 1)));
        assertThat(g.cycles()).containsExactly(List.of("a", "b", "c"), List.of("a", "c"), List.of("d"));
        assertThat(g.onCycles()).containsExactly("a", "b", "c", "d");
        assertThat(g.cyclesTruncated()).isFalse();
    }

    @Test
    void stopsListingCyclesOfADenseGraphButStillNamesEveryAgentOnOne() {
        List<WaitGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < 9; i++) for (int j = 0; j < 9; j++) if (i != j) edges.add(e("n" + i, "n" + j, ASK, 1));
        WaitGraph g = WaitGraph.of(edges);
        assertThat(g.cyclesTruncated()).isTrue();
        assertThat(g.cycles()).hasSize(WaitGraph.MAX_CYCLES);
        assertThat(g.onCycles()).hasSize(9);
    }

    @Test
    void emptyGraph() {
        WaitGraph g = WaitGraph.of(List.of());
        assertThat(g.waits()).isEmpty();
        assertThat(g.hasCycle()).isFalse();
        assertThat(g.wait("a", "b")).isNull();
    }
}
