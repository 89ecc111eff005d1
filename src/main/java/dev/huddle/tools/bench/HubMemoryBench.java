package dev.huddle.tools.bench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.aot.StdioChild;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Group {@code hub-memory}: the hub's RSS idle, with a hundred connected fronts (raw connections, no front JVMs) and
 * its CPU while they sit idle, and with real front processes.
 */
final class HubMemoryBench {
    private final Lab lab;
    private final AotCaches caches;

    HubMemoryBench(Lab lab, AotCaches caches) {
        this.lab = lab;
        this.caches = caches;
    }

    void run() throws IOException {
        if (!Procfs.available()) {
            for (String id : List.of("hub_rss_idle_mb", "hub_rss_100_fronts_mb", "hub_cpu_100_fronts_pct", "hub_rss_real_fronts_mb",
                    "sessions_pss_real_fronts_mb")) {
                lab.put(Figure.skipped(id, id, "", null, "needs /proc (Linux)"));
            }
            return;
        }
        Path project = lab.project("mp");
        lab.progress.println("bench: hub RSS with " + lab.sizes.rawFronts() + " connected fronts (raw connections), and with "
                + lab.sizes.realFronts() + " real front processes");
        withRawFronts(project);
        withRealFronts(project);
    }

    private void withRawFronts(Path project) throws IOException {
        int n = lab.sizes.rawFronts();
        Path home = Files.createDirectory(lab.root.resolve("m"));
        List<RawFront> fronts = new ArrayList<>();
        try (PrivateHub hub = lab.startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            long pid = hub.process().pid();
            Lab.sleep(1500);
            double idle = Procfs.rssKb(pid) / 1024.0;
            for (int i = 0; i < n; i++) {
                fronts.add(RawFront.connect(hub.paths(), project.toString(), "bench-raw-" + i));
            }
            Lab.sleep(2500); // a liveness sweep or two
            double withFronts = Procfs.rssKb(pid) / 1024.0;
            long ticks0 = Procfs.cpuTicks(pid);
            long w0 = System.nanoTime();
            Lab.sleep(lab.quick() ? 2000 : 5000);
            double cpuPct = (Procfs.cpuTicks(pid) - ticks0) * 10.0 / ((System.nanoTime() - w0) / 1e6) * 100; // ticks are 10 ms
            HubStatus status = hub.call(new ControlRequest.Status(), 5_000);
            lab.put(Figure.measured("hub_rss_idle_mb", "hub RSS, idle, no fronts", "MB", Stats.of(List.of(idle)), null, null));
            lab.put(Figure.measured("hub_rss_100_fronts_mb", "hub RSS with " + n + " connected fronts (raw)", "MB",
                    Stats.of(List.of(withFronts)), 160.0, "each: mcp hello + initialize + initialized from one process; heap used "
                            + status.heapUsedMb() + " MB, " + Procfs.threads(pid) + " threads, " + status.connectedFronts() + " fronts"));
            lab.put(Figure.measured("hub_cpu_100_fronts_pct", "hub CPU while idle with " + n + " fronts", "% of a core",
                    Stats.of(List.of(cpuPct)), null, "liveness sweeps and timers only; nobody calls a tool"));
        } finally {
            fronts.forEach(RawFront::close);
        }
    }

    private void withRealFronts(Path project) throws IOException {
        int real = lab.sizes.realFronts();
        Path home = Files.createDirectory(lab.root.resolve("m2"));
        List<StdioChild> procs = new ArrayList<>();
        try (PrivateHub hub = lab.startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            List<String> cmd = lab.frontCommand(caches.get("front"));
            for (int i = 0; i < real; i++) {
                StdioChild f = new StdioChild(lab.track(ChildJava.builder(cmd, ChildJava.cleanEnv(home, lab.jar)).directory(project.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(lab.frontErr.toFile())).start()));
                procs.add(f);
                f.send(JsonRpc.INITIALIZE);
                f.awaitResponse(1, 20_000);
                f.send(JsonRpc.INITIALIZED);
            }
            Lab.sleep(2500);
            double rss = Procfs.rssKb(hub.process().pid()) / 1024.0;
            double frontsTotal = procs.stream().mapToLong(p -> Procfs.rssKb(p.pid())).sum() / 1024.0;
            lab.put(Figure.measured("hub_rss_real_fronts_mb", "hub RSS with " + real + " real front processes", "MB",
                    Stats.of(List.of(rss)), 160.0, "those " + real + " fronts use " + Math.round(frontsTotal) + " MB RSS together"));
            long hubPid = hub.process().pid();
            double pss = (Procfs.pssKb(hubPid) + procs.stream().mapToLong(p -> Procfs.pssKb(p.pid())).sum()) / 1024.0;
            lab.put(Figure.measured("sessions_pss_real_fronts_mb", "memory of the hub and " + real + " real fronts (PSS sum)", "MB",
                    Stats.of(List.of(pss)), null, "RSS sum " + Math.round(rss + frontsTotal) + " MB; PSS counts a shared page once in all"));
        } finally {
            procs.forEach(p -> p.finish(10_000));
        }
    }
}
