package dev.huddle.cli;

import dev.huddle.protocol.Printable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The human's commands (exit codes: {@link ExitCodes}). Every failure a command signals with an {@link ExitException}
 * is reported here, in one place, as {@code huddle <command>: <message>}.
 */
// scope INHERIT: every subcommand gets -h/--help and -V/--version too (huddle ps --help prints its usage, exit 0).
@Command(name = "huddle", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Cli.VersionProvider.class,
        description = "Coordination for AI coding agents that work in one repository.",
        subcommands = {McpCommand.class, PsCommand.class, StatusCommand.class, SendCommand.class, LogCommand.class, ReadCommand.class,
                WatchCommand.class, WebCommand.class, ClaimsCommand.class, ReleaseCommand.class, DiagnoseCommand.class, HubCommand.class,
                VersionCommand.class, DoctorCommand.class, SetupCommand.class, UninstallCommand.class, DemoCommand.class,
                BenchCommand.class, TeamCommand.class, InternalCommand.class})
public final class Cli extends BaseCommand {
    public static int run(String[] args) {
        return commandLine().execute(args);
    }

    /** The command tree, with the one handler of every failure. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ExitException exit) {
                exit.report(cmd.getErr(), cmd.getCommandSpec().qualifiedName());
                return exit.code();
            }
            cmd.getErr().println("huddle: " + Printable.lines(ex.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cl;
    }

    /** {@code huddle} alone: the commands, then where a new user starts. */
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        out().println();
        out().println("Start here:");
        out().println("  huddle setup    register huddle with Claude Code, Codex and Gemini CLI (then restart your agents)");
        out().println("  huddle doctor   check that everything is in place");
        out().println("  huddle demo     watch simulated agents use huddle on a private hub (about 15 s)");
        out().println("  huddle ps       the agents of this repository, once they run");
        out().println("Every command takes --help.");
        return ExitCodes.USAGE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{VersionCommand.text()};
        }
    }
}
