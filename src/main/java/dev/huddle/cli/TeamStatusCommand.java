package dev.huddle.cli;

import dev.huddle.cli.view.TeamView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Team;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code huddle team status}: the machines of the shared store, their hubs' heartbeats, versions, lag and agents. */
@Command(name = "status", sortOptions = false,
        header = "Show the machines sharing this hub's store: their hubs, heartbeats and agents.",
        description = {"Show every machine whose hub shares this hub's PostgreSQL store: its hub's version and pid, the age",
                "of its last heartbeat (the server's clock), the round trip of that beat to the database and the",
                "machine's clock skew, and its agents. A machine whose hub has not beaten for 8 s (killed, asleep, cut",
                "off) is silent: the other machines show its agents offline and keep their messages until it is back.",
                "On a machine's own (SQLite) store it says so, and how to join a team."},
        footer = {"", "Exit codes: 0 shown, 1 failed, 3 no hub running (start one with `huddle hub run`, or any huddle client).",
                "", "Examples:", "  huddle team status", "  huddle team status --json | jq '.machines[] | select(.silent)'"})
final class TeamStatusCommand extends BaseCommand {
    @Option(names = "--json", description = "The hub's answer as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        Team t = callRunning(new ControlRequest.TeamStatus(),
                "no hub is running on this machine, so it is in no team now; start one with `huddle hub run` (or any huddle client)"
                        + " and run `huddle team status` again.");
        if (json) printJson(t);
        else out().print(TeamView.render(t, TerminalStyle.detect()));
        return ExitCodes.OK;
    }
}
