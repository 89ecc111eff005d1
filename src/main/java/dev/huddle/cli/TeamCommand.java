package dev.huddle.cli;

import picocli.CommandLine.Command;

/** {@code huddle team ...}: the machines whose hubs share one PostgreSQL store (docs/team.md). Only the list of its subcommands. */
@Command(name = "team", description = "The machines whose hubs share one PostgreSQL store (docs/team.md).",
        subcommands = {TeamStatusCommand.class})
final class TeamCommand extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}
