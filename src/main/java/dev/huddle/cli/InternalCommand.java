package dev.huddle.cli;

import picocli.CommandLine.Command;

/** {@code huddle internal}: commands huddle runs itself. */
@Command(name = "internal", hidden = true, description = "Internal commands.", subcommands = {AotTrainCommand.class})
final class InternalCommand extends BaseCommand {
    @Override
    protected int run() {
        return ExitCodes.USAGE;
    }
}
