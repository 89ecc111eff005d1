package dev.huddle.tools.bench;

import dev.huddle.protocol.tools.Views;
import dev.huddle.tools.ToolViews;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.aot.StdioChild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Group {@code list}: {@code list_project_sessions} round trips through a real front, in a project of many agents. */
final class ListBench {
    private final Lab lab;
    private final AotCaches caches;

    ListBench(Lab lab, AotCaches caches) {
        this.lab = lab;
        this.caches = caches;
    }

    void run() throws IOException {
        int agents = lab.sizes.listAgents();
        lab.progress.println("bench: list_project_sessions through a real front with " + agents + " agents, " + lab.sizes.listCalls() + " calls");
        Path home = Files.createDirectory(lab.root.resolve("l"));
        Path project = lab.project("lp");
        List<RawFront> others = new ArrayList<>();
        try (PrivateHub hub = lab.startHub(home, caches.get("hub"))) {
            hub.awaitReady(30_000, 10);
            for (int i = 0; i < agents - 1; i++) {
                Path cwd = Files.createDirectories(project.resolve("sub" + (i % 7)));
                others.add(RawFront.connect(hub.paths(), cwd.toString(), "bench-agent-" + i));
            }
            ProcessBuilder pb = ChildJava.builder(lab.frontCommand(caches.get("front")), ChildJava.cleanEnv(home, lab.jar))
                    .directory(project.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(lab.frontErr.toFile()));
            try (StdioChild front = new StdioChild(lab.track(pb.start()))) {
                front.send(JsonRpc.INITIALIZE);
                front.awaitResponse(1, 20_000);
                front.send(JsonRpc.INITIALIZED);
                List<Double> rtt = new ArrayList<>();
                double first = -1;
                int id = 10;
                int warm = lab.quick() ? 5 : 20;
                int count = -1;
                for (int i = -warm; i < lab.sizes.listCalls(); i++) {
                    long t0 = System.nanoTime();
                    front.send(JsonRpc.toolCall(++id, "list_project_sessions", "{}"));
                    Map<String, Object> r = front.awaitResponse(id, 20_000);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (first < 0) {
                        first = ms;
                        count = ToolViews.read("list_project_sessions", McpSocketClient.toolText(r), Views.ListSessionsResult.class).count();
                    }
                    if (i >= 0) rtt.add(ms);
                }
                if (count != agents) throw new IOException("list_project_sessions returned " + count + " sessions, expected " + agents);
                lab.put(Figure.measured("list_sessions_rtt_ms", "list_project_sessions round trip, " + agents + " agents", "ms",
                        Stats.of(rtt), 5.0, "through a real front (stdin -> hub -> stdout), after " + warm
                                + " warm-up calls; the first call took " + Math.round(first * 10) / 10.0 + " ms"));
                front.finish(10_000);
            }
        } finally {
            others.forEach(RawFront::close);
        }
    }
}
