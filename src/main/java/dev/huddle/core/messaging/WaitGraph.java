package dev.huddle.core.messaging;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who waits for whom: an edge "A waits for B" for each pending ask (asker → asked) and each open obligation
 * (sender → recipient). Several reasons between the same two agents fold into one {@link Wait} that keeps the
 * longest (oldest) one. Everything is ordered by agent id, so the answers do not depend on insertion order.
 */
public final class WaitGraph {
    /** The reason for one wait. */
    public enum Kind {
        ASK("ask"), OBLIGATION("obligation");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One reason: {@code waiter} waits for {@code waitedOn} since {@code since} (message {@code messageId}). */
    public record Edge(String waiter, String waitedOn, Kind kind, Instant since, String messageId) {}

    /** All reasons {@code waiter} waits for {@code waitedOn}, folded: the oldest one's start, and how many of each kind. */
    public record Wait(String waiter, String waitedOn, Instant since, int asks, int obligations) {}

    /** Enumerating elementary cycles can explode on dense graphs; past this many, {@link #cycles()} stops (and says so). */
    public static final int MAX_CYCLES = 1000;

    private final SortedMap2 waits;
    private final List<List<String>> cycles;
    private final boolean cyclesTruncated;
    private final SortedSet<String> onCycles;

    private WaitGraph(SortedMap2 waits) {
        this.waits = waits;
        List<List<String>> found = new ArrayList<>();
        this.cyclesTruncated = !elementaryCycles(waits, found);
        this.cycles = Collections.unmodifiableList(found);
        this.onCycles = Collections.unmodifiableSortedSet(stronglyConnectedOnCycles(waits));
    }

    public static WaitGraph of(Collection<Edge> edges) {
        SortedMap2 m = new SortedMap2();
        for (Edge e : edges) {
            Map<String, Wait> row = m.computeIfAbsent(e.waiter(), k -> new TreeMap<>());
            Wait w = row.get(e.waitedOn());
            int asks = e.kind() == Kind.ASK ? 1 : 0;
            int obligations = e.kind() == Kind.OBLIGATION ? 1 : 0;
            row.put(e.waitedOn(), w == null ? new Wait(e.waiter(), e.waitedOn(), e.since(), asks, obligations)
                    : new Wait(e.waiter(), e.waitedOn(), e.since().isBefore(w.since()) ? e.since() : w.since(),
                    w.asks() + asks, w.obligations() + obligations));
        }
        return new WaitGraph(m);
    }

    /** One wait per (waiter, waited-on) pair, ordered by waiter then waited-on. */
    public List<Wait> waits() {
        List<Wait> out = new ArrayList<>();
        waits.values().forEach(row -> out.addAll(row.values()));
        return out;
    }

    /** The wait of {@code waiter} for {@code waitedOn}, or null. */
    public Wait wait(String waiter, String waitedOn) {
        Map<String, Wait> row = waits.get(waiter);
        return row == null ? null : row.get(waitedOn);
    }

    /**
     * Every elementary cycle (no agent twice), each starting at its smallest agent id and following the waits
     * ({@code [a, b, c]} means a waits for b waits for c waits for a); the list is sorted. At most {@link #MAX_CYCLES}.
     */
    public List<List<String>> cycles() {
        return cycles;
    }

    /** Whether {@link #cycles()} stopped at {@link #MAX_CYCLES}; {@link #onCycles()} is complete regardless. */
    public boolean cyclesTruncated() {
        return cyclesTruncated;
    }

    /** Every agent on at least one cycle, sorted. */
    public SortedSet<String> onCycles() {
        return onCycles;
    }

    public boolean hasCycle() {
        return !onCycles.isEmpty();
    }

    // ---- elementary cycles: from each start s (in order), paths through agents greater than s that return to s ----

    private static boolean elementaryCycles(SortedMap2 g, List<List<String>> out) {
        for (String start : g.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            path.addLast(start);
            if (!extend(g, start, start, path, new TreeSet<>(List.of(start)), out)) {
                out.sort(CYCLE_ORDER);
                return false;
            }
        }
        out.sort(CYCLE_ORDER);
        return true;
    }

    private static boolean extend(SortedMap2 g, String start, String at, Deque<String> path, TreeSet<String> onPath,
                                  List<List<String>> out) {
        for (String next : g.getOrDefault(at, Map.of()).keySet()) {
            if (next.equals(start)) {
                if (out.size() >= MAX_CYCLES) return false;
                out.add(List.copyOf(path));
            } else if (next.compareTo(start) > 0 && !onPath.contains(next)) {
                path.addLast(next);
                onPath.add(next);
                boolean go = extend(g, start, next, path, onPath, out);
                path.removeLast();
                onPath.remove(next);
                if (!go) return false;
            }
        }
        return true;
    }

    private static final Comparator<List<String>> CYCLE_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    };

    // ---- agents on cycles: strongly connected components (Tarjan, iterative) of size > 1, or with a self-wait ----

    private static SortedSet<String> stronglyConnectedOnCycles(SortedMap2 g) {
        TreeSet<String> nodes = new TreeSet<>(g.keySet());
        g.values().forEach(row -> nodes.addAll(row.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        TreeSet<String> onStack = new TreeSet<>();
        TreeSet<String> result = new TreeSet<>();
        int[] counter = {0};
        for (String root : nodes) {
            if (index.containsKey(root)) continue;
            // explicit DFS stack of (node, iterator over its successors)
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            visit(root, g, index, low, stack, onStack, counter, work);
            while (!work.isEmpty()) {
                var top = work.peekLast();
                String v = top.getKey();
                if (top.getValue().hasNext()) {
                    String w = top.getValue().next();
                    if (!index.containsKey(w)) {
                        visit(w, g, index, low, stack, onStack, counter, work);
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.removeLast();
                    if (!work.isEmpty()) {
                        String parent = work.peekLast().getKey();
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        List<String> component = new ArrayList<>();
                        String w;
                        do {
                            w = stack.removeLast();
                            onStack.remove(w);
                            component.add(w);
                        } while (!w.equals(v));
                        if (component.size() > 1 || g.getOrDefault(v, Map.of()).containsKey(v)) result.addAll(component);
                    }
                }
            }
        }
        return result;
    }

    private static void visit(String v, SortedMap2 g, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                              TreeSet<String> onStack, int[] counter, Deque<Map.Entry<String, java.util.Iterator<String>>> work) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.addLast(v);
        onStack.add(v);
        work.addLast(Map.entry(v, g.getOrDefault(v, Map.of()).keySet().iterator()));
    }

    /** waiter → (waited-on → wait), both sorted. */
    private static final class SortedMap2 extends TreeMap<String, Map<String, Wait>> {}
}
