package dev.huddle.cli;

import picocli.CommandLine.Command;

/** {@code huddle team ...}: the shared store of a team's machines. */
@Command(name = "team", description = "The PostgreSQL store a team's machines share.", subcommands = {TeamImportCommand.class})
final class TeamCommand extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}
