package dev.huddle.cli;

import dev.huddle.cli.view.PsTable;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code huddle ps}: the agents of this project (or all projects); starts a hub when none runs. */
@Command(name = "ps", description = "List agents in this project (or all projects).")
final class PsCommand extends BaseCommand {
    @Option(names = {"-a", "--all"}, description = "Every project, not just the one of the current directory.")
    boolean all;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    protected int run() throws IOException {
        AgentList result = hub().startingHub().call(new ControlRequest.Ps(all));
        if (json) printJson(result);
        else out().print(PsTable.render(result, TerminalStyle.detect()));
        return ExitCodes.OK;
    }
}
