package dev.huddle.cli;

import dev.huddle.cli.view.LogLines;
import dev.huddle.cli.view.PsTable;
import dev.huddle.cli.view.SendView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.cli.watch.DemoWatch;
import dev.huddle.protocol.AotCache;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.control.LogPage;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.tools.demo.DemoScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** {@code huddle demo}: a real end-to-end run against a private hub (see {@link DemoScenario}). */
@Command(name = "demo", header = "Run a real end-to-end demo of huddle on a private hub.", description = {
        "Run an end-to-end demo on a private hub: four simulated agents (Claude Code, Codex, Gemini, and one in another",
        "repository) bind their identities, set their state, list each other, then talk: ask_peer and a reply,",
        "an obligation completed exactly once, a broadcast, a message from the human, a message delivered by hooks,",
        "an idle agent in a real tmux pane woken and answering (skipped without tmux), and huddle log. Cleans up after itself."})
final class DemoCommand extends BaseCommand {
    @Option(names = "--keep", description = "Keep the private hub and the temporary directories, and print how to inspect them.")
    boolean keep;

    @Option(names = "--json", description = "Print a machine-readable transcript of each step's results instead.")
    boolean json;

    @Option(names = "--watch", description = {"Show huddle watch (the live dashboard) on the demo's hub while the agents talk,",
            "steps paced for the eye; when the script is over it stays until q, then the demo cleans up and prints its report."})
    boolean watch;

    @Override
    protected int run() {
        Optional<Path> jar = AotCache.runningJar(System.getenv());
        if (jar.isEmpty()) {
            throw new ExitException(ExitCodes.FAILURE, "cannot find huddle.jar to start the simulated agents from;"
                    + " run the demo from the jar (./huddle demo) or set HUDDLE_JAR to its path");
        }
        if (watch && json) throw usage("--watch shows a dashboard; it does not go with --json");
        TerminalStyle style = json ? new TerminalStyle(false) : TerminalStyle.detect();
        DemoScenario.Options options = new DemoScenario.Options(jar.get(), keep, json, style.color(), renderers(style));
        if (watch) {
            String noColor = System.getenv("NO_COLOR");
            return DemoWatch.run(w -> new DemoScenario(options, w), out(), noColor == null || noColor.isEmpty());
        }
        return new DemoScenario(options, out()).run();
    }

    /** The CLI's own renderers, so the demo prints what {@code huddle ps}, {@code send} and {@code log} print. */
    private static DemoScenario.Renderers renderers(TerminalStyle style) {
        return new DemoScenario.Renderers() {
            @Override
            public String ps(AgentList ps) {
                return PsTable.render(ps, style);
            }

            @Override
            public String sent(SendReceipt send) {
                return SendView.render(send, style);
            }

            @Override
            public String logLine(LogPage.Entry row) {
                return LogLines.line(row, style, null, false);
            }
        };
    }
}
