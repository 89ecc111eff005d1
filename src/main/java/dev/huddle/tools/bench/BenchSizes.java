package dev.huddle.tools.bench;

/** Sample sizes of the groups Bench runs itself (front launches, hub starts, fronts, listings), full or quick. */
record BenchSizes(int frontLaunches, int hubStarts, int rawFronts, int realFronts, int listAgents, int listCalls,
                  int warmups) {
    static final BenchSizes FULL = new BenchSizes(20, 10, 100, 20, 50, 200, 2);
    static final BenchSizes QUICK = new BenchSizes(3, 2, 100, 3, 50, 20, 1);
}
