package dev.huddle.tools.bench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.StdioChild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Group {@code front}, with no hub running (issue 18, item 2): launch -> initialize answered, and launch -> the first
 * {@code list_project_sessions} answered (the front started the hub); and 20 fronts launched at once beside two
 * CPU-burning processes, the slowest one's launch -> initialize. Each run has a fresh home; the hub a front started
 * is stopped after it.
 */
final class ColdFrontBench {
    static final String INIT = "front_init_cold_ms";
    static final String FIRST_CALL = "front_first_call_cold_ms";
    static final String CROWD = "front_init_cold_20_loaded_ms";
    private static final int CROWD_SIZE = 20;

    private final Lab lab;
    private int homes;

    ColdFrontBench(Lab lab) {
        this.lab = lab;
    }

    void run() throws IOException {
        int n = lab.quick() ? 3 : 10;
        lab.progress.println("bench: front launch -> initialize and -> first call with no hub running, " + n + " runs; then "
                + CROWD_SIZE + " fronts at once beside 2 CPU burners");
        Path project = lab.project("cold");
        List<Double> init = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (int i = -1; i < n; i++) {
            Path home = freshHome();
            long t0 = System.nanoTime();
            try (StdioChild front = start(home, project)) {
                front.send(JsonRpc.INITIALIZE);
                expect(front.awaitResponse(1, 20_000), "initialize");
                long t1 = System.nanoTime();
                front.send(JsonRpc.INITIALIZED);
                front.send(JsonRpc.toolCall(2, "list_project_sessions", "{}"));
                expect(front.awaitResponse(2, 30_000), "list_project_sessions");
                long t2 = System.nanoTime();
                if (i >= 0) {
                    init.add((t1 - t0) / 1e6);
                    first.add((t2 - t0) / 1e6);
                }
                front.finish(10_000);
            } finally {
                stopHub(home);
            }
        }
        lab.put(Figure.measured(INIT, "front launch -> initialize answered, no hub running", "ms", Stats.of(init), null,
                "a fresh home, no hub: the front answers initialize itself while it starts the hub; floor: the warm figure"
                        + " (front_init_ms), target within 20 %"));
        lab.put(Figure.measured(FIRST_CALL, "front launch -> first list_project_sessions, no hub running", "ms", Stats.of(first), null,
                "the first tool call waits for the hub the front started (hub JVM start, database, hello, the agent's initialize)"));
        lab.put(Figure.measured(CROWD, CROWD_SIZE + " fronts at once, no hub, 2 CPU burners: slowest initialize", "ms",
                Stats.of(crowd(project, lab.quick() ? 1 : 3)), 5_000.0,
                "per run: the slowest of " + CROWD_SIZE + " fronts launched together (launch -> initialize) on a fresh home, beside two"
                        + " sh -c 'while :; do :; done'"));
    }

    /** The slowest launch -> initialize of 20 fronts started together, once per run. */
    private List<Double> crowd(Path project, int runs) throws IOException {
        List<Double> slowest = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<Process> burners = new ArrayList<>();
            for (int b = 0; b < 2; b++) burners.add(lab.track(new ProcessBuilder("sh", "-c", "while :; do :; done").start()));
            Path home = freshHome();
            List<StdioChild> fronts = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < CROWD_SIZE; i++) fronts.add(start(home, project));
                for (StdioChild f : fronts) f.send(JsonRpc.INITIALIZE);
                double worst = 0;
                for (StdioChild f : fronts) {
                    expect(f.awaitResponse(1, 30_000), "initialize");
                    worst = Math.max(worst, (System.nanoTime() - t0) / 1e6);
                }
                slowest.add(worst);
            } finally {
                burners.forEach(ChildJava::kill);
                for (StdioChild f : fronts) f.close();
                stopHub(home);
            }
        }
        return slowest;
    }

    private Path freshHome() throws IOException {
        return Files.createDirectory(lab.root.resolve("cold-home-" + (++homes)));
    }

    private StdioChild start(Path home, Path project) throws IOException {
        ProcessBuilder pb = ChildJava.builder(lab.frontCommand(null), ChildJava.cleanEnv(home, lab.jar)).directory(project.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(lab.frontErr.toFile()));
        return new StdioChild(lab.track(pb.start()));
    }

    private static void expect(Map<String, Object> response, String what) throws IOException {
        if (!response.containsKey("result")) throw new IOException(what + " failed: " + response);
    }

    /**
     * Stops every process of {@code home}: the hub its fronts started (detached, so not the bench's child), also one
     * still starting when the fronts were closed (on a loaded machine a hub can take longer than the fronts lived).
     * They are found by {@code HUDDLE_HOME} in their environment; done once none has shown for half a second.
     */
    private static void stopHub(Path home) {
        String marker = "HUDDLE_HOME=" + home + "\0";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            List<ProcessHandle> ours = ProcessHandle.allProcesses().filter(h -> environHas(h, marker)).toList();
            if (ours.isEmpty()) {
                quiet++;
                Lab.sleep(250);
                continue;
            }
            quiet = 0;
            ours.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : ours) {
                h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
                    h.destroyForcibly();
                    return h;
                }).join();
            }
        }
    }

    private static boolean environHas(ProcessHandle h, String entry) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ"), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains(entry);
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
