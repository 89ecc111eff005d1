package dev.huddle.cli;

import dev.huddle.cli.view.StatusView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code huddle status}: a one-shot view of who waits for whom, and with {@code --check} a health check for scripts. */
@Command(name = "status", sortOptions = false,
        header = "Show who waits for whom in this project, and what is stuck.",
        description = {"Who waits for whom in this project, and what is stuck: each agent (client,",
                "online, busy/idle and for how long, unread messages, whom it waits for), each",
                "wait (a pending ask_peer or open action_required work) and its age, wait",
                "cycles (deadlocks), mail stranded on offline agents, old obligations."},
        footer = {"", "Exit codes: 0 shown (with --check: healthy), 1 failed, 2 usage, 3 no hub running.",
                "With --check, the first problem found, in this order:",
                "  5  a wait cycle (deadlock): A waits for B ... waits for A",
                "  6  mail stranded: unread messages to an agent that is offline",
                "  7  an obligation open longer than --max-obligation-age",
                "", "Examples:", "  huddle status", "  huddle status --check --max-obligation-age 10m || echo \"stuck: $?\"",
                "  huddle status --json | jq '.projects[].waits'"})
final class StatusCommand extends BaseCommand {
    @Mixin
    ScopeOptions scope;

    @Option(names = "--check", description = "Exit non-zero when something is stuck (codes below); with the report as usual.")
    boolean check;

    @Mixin
    MaxObligationAgeOption maxObligationAge;

    @Option(names = "--json", description = "The hub's report as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        scope.check(this);
        long maxAgeMs = maxObligationAge.millis(this);
        // Never starts a hub: with none running nobody waits, and a check must not bring one up.
        StatusReport r = callRunning(new ControlRequest.ReportStatus(scope.project(), scope.all(), maxAgeMs),
                "no hub is running, so no agent is connected (start an agent, or run `huddle doctor`).");
        if (json) {
            printJson(r);
        } else {
            Integer width = TerminalStyle.width();
            out().print(StatusView.render(r, TerminalStyle.detect(), width == null ? StatusView.DEFAULT_WIDTH : width, exitCode(r.problems())));
        }
        return check ? exitCode(r.problems()) : ExitCodes.OK;
    }

    /** The documented --check code of the first problem: deadlock 5, stranded mail 6, stale obligation 7; else 0. */
    static int exitCode(List<String> problems) {
        if (problems.contains(StatusReport.DEADLOCK)) return ExitCodes.DEADLOCK;
        if (problems.contains(StatusReport.STRANDED_MAIL)) return ExitCodes.STRANDED_MAIL;
        if (problems.contains(StatusReport.STALE_OBLIGATION)) return ExitCodes.STALE_OBLIGATION;
        return ExitCodes.OK;
    }
}
