package dev.huddle.cli;

import dev.huddle.hub.TeamStore;
import dev.huddle.protocol.HubPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code huddle team admin-sql}: the SQL an administrator runs to give one machine its own database role. */
@Command(name = "admin-sql", sortOptions = false, header = "Print the SQL that gives one machine its own database role.",
        description = {"With its own role, a machine's hub can write only as that machine: row-level security refuses a",
                "message from another machine's agent or a change to another machine's agents (docs/team.md,",
                "Per-machine roles). Run the output with psql: CREATE ROLE as a role that may create roles, the rest as",
                "the owner of huddle's tables. Then, on that machine: huddle team join postgresql://<role>@host/db?..."},
        footer = {"", "Exit codes: 0 printed, 2 usage (a role name that needs quoting)."})
final class TeamAdminSqlCommand extends BaseCommand {
    @Option(names = "--machine", required = true, paramLabel = "<name>", description = "The machine's name (as HUDDLE_MACHINE would give it).")
    String machine;

    @Option(names = "--role", required = true, paramLabel = "<role>", description = "Its database role: lower-case letters, digits, '_'.")
    String role;

    @Option(names = "--database", paramLabel = "<db>", description = "The team's database (default: the configured store's).")
    String database;

    @Override
    protected int run() {
        if (!TeamStore.validRole(role)) {
            throw new ExitException(ExitCodes.USAGE, "the role name '" + role + "' needs quoting in SQL", "Use lower-case letters, digits and '_' (e.g. huddle_laptop).");
        }
        if (machine.isBlank()) throw new ExitException(ExitCodes.USAGE, "--machine is empty");
        String db = database;
        if (db == null) {
            db = TeamStore.configuredDatabase(HubPaths.fromEnvironment(System.getenv()), System.getenv())
                    .orElseThrow(() -> new ExitException(ExitCodes.USAGE, "no shared store is configured here", "Name the database: --database <db>."));
        }
        TeamStore.adminSql(db, role, machine).forEach(out()::println);
        return ExitCodes.OK;
    }
}
