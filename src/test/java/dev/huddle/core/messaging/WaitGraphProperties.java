package dev.huddle.core.messaging;

import dev.huddle.core.identity.Agent;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WaitGraph}'s cycle detection over generated wait graphs. */
class WaitGraphProperties {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    /** Agent ids are n00..n11, so that string order matches index order. */
    static String id(int i) {
        return "n%02d".formatted(i);
    }

    static WaitGraph.Edge edge(int from, int to, long seed) {
        return new WaitGraph.Edge(id(from), id(to), seed % 2 == 0 ? WaitGraph.Kind.ASK : WaitGraph.Kind.OBLIGATION,
                T0.minusSeconds(Math.floorMod(seed, 3600)), "m" + seed);
    }

    /** Edges over up to 12 agents, any direction (a pair may repeat, self-waits included). */
    @Provide
    Arbitrary<List<WaitGraph.Edge>> anyEdges() {
        return Arbitraries.integers().between(0, 11).list().ofSize(3)
                .map(t -> edge(t.get(0), t.get(1), t.get(2) * 7919L)).list().ofMaxSize(30);
    }

    /** Edges that only go from a lower to a higher index in a shuffled ranking: a DAG whatever the ids. */
    @Provide
    Arbitrary<List<WaitGraph.Edge>> dagEdges() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            List<Integer> rank = new ArrayList<>();
            for (int i = 0; i < 12; i++) rank.add(i);
            Collections.shuffle(rank, r);
            List<WaitGraph.Edge> out = new ArrayList<>();
            int n = r.nextInt(40);
            for (int k = 0; k < n; k++) {
                int a = r.nextInt(12), b = r.nextInt(12);
                if (a == b) continue;
                out.add(edge(rank.get(Math.min(a, b)), rank.get(Math.max(a, b)), r.nextLong()));
            }
            return out;
        });
    }

    @Property
    void aDagNeverReportsACycle(@ForAll("dagEdges") List<WaitGraph.Edge> edges) {
        WaitGraph g = WaitGraph.of(edges);
        assertThat(g.cycles()).isEmpty();
        assertThat(g.onCycles()).isEmpty();
        assertThat(g.hasCycle()).isFalse();
    }

    @Property
    void aBackEdgeAlongAPathAlwaysMakesACycleContainingIt(@ForAll("dagEdges") List<WaitGraph.Edge> dag, @ForAll long seed) {
        // a path through the DAG's own edges, from some start, as long as it goes
        WaitGraph base = WaitGraph.of(dag);
        if (base.waits().isEmpty()) return;
        Random r = new Random(seed);
        List<String> path = new ArrayList<>();
        WaitGraph.Wait first = base.waits().get(r.nextInt(base.waits().size()));
        path.add(first.waiter());
        path.add(first.waitedOn());
        while (true) {
            String last = path.getLast();
            List<WaitGraph.Wait> out = base.waits().stream().filter(w -> w.waiter().equals(last)).toList();
            if (out.isEmpty() || r.nextInt(4) == 0) break;
            path.add(out.get(r.nextInt(out.size())).waitedOn());
        }
        List<WaitGraph.Edge> withBack = new ArrayList<>(dag);
        withBack.add(new WaitGraph.Edge(path.getLast(), path.getFirst(), WaitGraph.Kind.ASK, T0, "back"));
        WaitGraph g = WaitGraph.of(withBack);

        assertThat(g.hasCycle()).isTrue();
        assertThat(g.onCycles()).containsAll(path);
        // the path closed by the back edge is itself an elementary cycle, reported from its smallest agent
        int min = path.indexOf(Collections.min(path));
        List<String> rotated = new ArrayList<>(path.subList(min, path.size()));
        rotated.addAll(path.subList(0, min));
        assertThat(g.cycles()).contains(rotated);
    }

    @Property
    void reportedCyclesAreElementaryAndFollowTheWaits(@ForAll("anyEdges") List<WaitGraph.Edge> edges) {
        WaitGraph g = WaitGraph.of(edges);
        TreeSet<String> onSomeCycle = new TreeSet<>();
        for (List<String> c : g.cycles()) {
            assertThat(new TreeSet<>(c)).hasSameSizeAs(c);
            assertThat(c.getFirst()).isEqualTo(Collections.min(c));
            for (int i = 0; i < c.size(); i++) {
                assertThat(g.wait(c.get(i), c.get((i + 1) % c.size()))).as("%s in %s", c, g.waits()).isNotNull();
            }
            onSomeCycle.addAll(c);
        }
        if (!g.cyclesTruncated()) assertThat(g.onCycles()).isEqualTo(onSomeCycle);
        assertThat(g.cycles()).doesNotHaveDuplicates();
    }

    @Property
    void theAnswerDoesNotDependOnInsertionOrder(@ForAll("anyEdges") List<WaitGraph.Edge> edges, @ForAll long seed) {
        List<WaitGraph.Edge> shuffled = new ArrayList<>(edges);
        Collections.shuffle(shuffled, new Random(seed));
        WaitGraph a = WaitGraph.of(edges);
        WaitGraph b = WaitGraph.of(shuffled);
        assertThat(b.waits()).isEqualTo(a.waits());
        assertThat(b.cycles()).isEqualTo(a.cycles());
        assertThat(b.onCycles()).isEqualTo(a.onCycles());
    }

    @Property
    void eachWaitKeepsItsLongestReason(@ForAll("anyEdges") List<WaitGraph.Edge> edges) {
        WaitGraph g = WaitGraph.of(edges);
        for (WaitGraph.Wait w : g.waits()) {
            List<WaitGraph.Edge> mine = edges.stream().filter(e -> e.waiter().equals(w.waiter()) && e.waitedOn().equals(w.waitedOn())).toList();
            assertThat(w.since()).isEqualTo(mine.stream().map(WaitGraph.Edge::since).min(Instant::compareTo).orElseThrow());
            assertThat(w.asks() + w.obligations()).isEqualTo(mine.size());
        }
    }
}
