package dev.huddle.cli;

import picocli.CommandLine.Command;

/** {@code huddle team}: this machine's part in a team's shared store (docs/team.md). Only the list of its subcommands. */
@Command(name = "team", description = "Join or leave a team's shared PostgreSQL store, see its machines, move this machine's"
        + " history into it, and administer it.",
        subcommands = {TeamStatusCommand.class, TeamJoinCommand.class, TeamLeaveCommand.class, TeamMigrateCommand.class,
                TeamAdminSqlCommand.class, TeamImportCommand.class})
final class TeamCommand extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}
