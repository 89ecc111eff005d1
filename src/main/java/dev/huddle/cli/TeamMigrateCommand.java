package dev.huddle.cli;

import dev.huddle.hub.TeamStore;
import dev.huddle.protocol.HubPaths;
import dev.huddle.store.StoreException;
import picocli.CommandLine.Command;

/** {@code huddle team migrate}: the administrator brings the shared store's schema to this huddle's, as its owner. */
@Command(name = "migrate", header = "Bring the shared store's schema up to this huddle's (as the owner of its tables).",
        description = {"Connects to the configured store (config.json or HUDDLE_STORE_URL) and applies the migrations it",
                "lacks, then grants the machines' roles their privileges on new tables. Hubs of machines' own roles never",
                "migrate: they wait for this. Run it with the owner's login, e.g.",
                "  HUDDLE_STORE_URL=postgresql://huddle@db.example.com/team_a?sslmode=verify-full huddle team migrate"},
        footer = {"", "Exit codes: 0 up to date, 1 failed (nothing changed beyond the migrations that completed)."})
final class TeamMigrateCommand extends BaseCommand {
    @Override
    protected int run() {
        int[] versions;
        try {
            versions = TeamStore.migrate(HubPaths.fromEnvironment(System.getenv()), System.getenv());
        } catch (StoreException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e.hint() == null ? "Check the store with `huddle doctor`." : e.hint());
        }
        out().println(versions[0] == versions[1] ? "schema version " + versions[1] + ": up to date"
                : "migrated the schema from version " + versions[0] + " to " + versions[1]);
        return ExitCodes.OK;
    }
}
