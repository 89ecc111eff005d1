package dev.huddle.cli;

import dev.huddle.cli.view.DiagnoseView;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Diagnosis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code huddle diagnose}: how the agents are wired, and what waking them did, by route and client. */
@Command(name = "diagnose", sortOptions = false,
        header = "Show how each agent is wired and what waking it did.",
        description = {"How each agent is wired (hooks reporting, transcript known, terminal proven by the process tree)",
                "and what huddle did to wake idle agents: outcomes by route and client, then the latest attempts with reasons."},
        footer = {"", "Exit codes: 0 shown, 1 failed, 2 usage, 3 no hub running.", "",
                "Examples:", "  huddle diagnose", "  huddle diagnose --hours 1 --json | jq .wake_summary"})
final class DiagnoseCommand extends BaseCommand {
    @Option(names = "--hours", paramLabel = "H", description = "Look back H hours (default ${DEFAULT-VALUE}, at most 720).", defaultValue = "24")
    int hours;

    @Option(names = "--json", description = "The hub's report as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        if (hours < 1 || hours > 720) throw usage("--hours must be between 1 and 720");
        Diagnosis r = callRunning(new ControlRequest.Diagnose((long) hours),
                "no hub is running, so there is nothing to diagnose (start an agent, or run `huddle doctor`).");
        if (json) printJson(r);
        else out().print(DiagnoseView.render(r));
        return ExitCodes.OK;
    }
}
