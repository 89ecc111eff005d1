package dev.huddle.cli;

import dev.huddle.protocol.Settings;
import dev.huddle.tools.bench.Bench;
import dev.huddle.tools.bench.BenchReport;
import dev.huddle.tools.bench.SoakBench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.protocol.AotCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code huddle bench [--quick] [--json] [--out FILE]}: measures start-up, memory and latency of huddle's
 * processes on this machine and compares them with the targets. See docs/BENCHMARKS.md.
 */
@Command(name = "bench", header = "Measure huddle's start-up, memory and latency on this machine.",
        description = "Measure front/hub start-up, memory and tool latency on this machine (about 2 minutes; --quick: about 30 s).")
final class BenchCommand extends BaseCommand {
    @Option(names = "--quick", description = "Small samples (a smoke run, for CI).")
    boolean quick;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    File out;

    @Option(names = "--launcher", paramLabel = "PATH", description = "The ./huddle launcher to measure too (default: the one that started this command, or the one next to the jar's directory).")
    File launcher;

    @Option(names = "--no-train", description = "Do not create missing AOT caches (their figures are then skipped).")
    boolean noTrain;

    @Option(names = "--only", split = ",", paramLabel = "GROUP", description = "Run only these groups: front, hub-start, hub-memory, list, messaging, hooks, wake, read, watch, web; and soak"
            + " (opt-in: 10 simulated Codex sessions in tmux for --soak-minutes).")
    List<String> only = new ArrayList<>();

    @Option(names = "--soak-minutes", paramLabel = "MIN", description = "How long the soak group runs its traffic (default 10; --quick: 1).")
    Double soakMinutes;

    @Option(names = "--soak-agents", paramLabel = "N", description = "How many simulated agents the soak group runs (default 10).")
    int soakAgents = SoakBench.DEFAULT_AGENTS;

    @Override
    protected int run() throws IOException {
        Map<String, String> env = System.getenv();
        PrintWriter stdout = out();
        Path jar = AotCache.runningJar(env).orElseThrow(() -> new ExitException(ExitCodes.FAILURE,
                "needs to run from huddle.jar (or set HUDDLE_JAR)"));
        PrintStream progress = System.err;
        Bench bench = new Bench(ChildJava.javaCommand(), jar, AotCache.directory(jar, env), findLauncher(jar, env),
                quick, !noTrain, progress).only(only).soak(soakMinutes != null ? soakMinutes : quick ? 1 : 10, soakAgents);
        BenchReport report = bench.run();
        String text = report.json();
        if (out != null) {
            Files.writeString(out.toPath(), text + "\n");
            progress.println("bench: wrote " + out);
        }
        if (json) stdout.println(text);
        else stdout.print(report.table());
        return ExitCodes.OK;
    }

    private Path findLauncher(Path jar, Map<String, String> env) {
        if (launcher != null) return launcher.toPath().toAbsolutePath();
        String fromEnv = env.getOrDefault(Settings.LAUNCHER.env(), System.getProperty("huddle.launcher"));
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        Path dir = jar.getParent();
        for (Path p : new Path[]{dir.resolve("huddle"), dir.getParent() == null ? null : dir.getParent().resolve("huddle")}) {
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
