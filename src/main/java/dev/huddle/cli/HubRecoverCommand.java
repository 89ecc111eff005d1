package dev.huddle.cli;

import dev.huddle.hub.Hub;
import dev.huddle.protocol.Printable;
import dev.huddle.store.Recovery;
import dev.huddle.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * {@code huddle hub recover}: the way out of a corrupt database. Stops the hub (whatever state it is in), salvages
 * every row that can still be read into a new database, keeps the damaged file aside as it was, and says what was
 * kept and what was lost.
 */
@Command(name = "recover", sortOptions = false,
        description = {"Salvage a damaged database: stop the hub, copy every row that can still be read into a new",
                "huddle.db (the full-text index rebuilt), and keep the damaged file aside as huddle.db.corrupt-<time>.",
                "The next agent or huddle command starts a hub on the new database."},
        footer = {"", "Exit codes: 0 recovered, 1 failed (the damaged file is kept), 3 no database to recover."})
final class HubRecoverCommand extends BaseCommand {
    @Option(names = "--json", description = "The outcome as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        var paths = hub().connector().paths();
        java.util.Optional<String> shared;
        try {
            shared = dev.huddle.hub.TeamStore.configuredUrl(paths, System.getenv());
        } catch (StoreException e) {
            shared = java.util.Optional.of("(a malformed " + dev.huddle.protocol.Settings.STORE_URL.key() + ")");
        }
        if (shared.isPresent()) {
            throw new ExitException(ExitCodes.FAILURE, "this machine's store is the shared PostgreSQL database " + shared.get()
                    + "; huddle hub recover salvages the local SQLite file only, and a server checks and repairs its own data",
                    "Check the shared store with `huddle doctor`; a damaged server is its administrator's to repair. To recover the local file"
                            + " instead, leave the team first (`huddle team leave`).");
        }
        if (!java.nio.file.Files.exists(paths.database())) {
            throw new ExitException(ExitCodes.HUB_NOT_RUNNING, "there is no database at " + paths.database() + " to recover");
        }
        HubStopper.Stopped stopped = new HubStopper(hub()).stop();
        if (stopped.pid() != null && !json) out().println("hub stopped (pid " + stopped.pid() + ")");
        Recovery r;
        try {
            r = Hub.recoverDatabase(paths);
        } catch (IllegalStateException | StoreException | IOException e) {
            throw new ExitException(ExitCodes.FAILURE, Printable.lines(e.getMessage()));
        }
        if (json) {
            printJson(r);
            return ExitCodes.OK;
        }
        if (r.unreadableReason() != null) {
            out().println(Printable.line("nothing could be read from the damaged file (" + r.unreadableReason() + "): the new database is empty"));
        }
        for (Recovery.Table t : r.tables()) {
            out().printf("  %-18s %8d rows kept%s%n", t.name(), t.copied(),
                    t.unreadable() + t.orphansDropped() == 0 ? "" : ", " + t.unreadable() + " unreadable"
                            + (t.orphansDropped() == 0 ? "" : ", " + t.orphansDropped() + " dropped (their parent row was lost)"));
        }
        out().println("recovered " + r.database() + ": " + r.copied() + " rows kept, at most " + r.lost() + " lost");
        out().println("the damaged file is kept as " + r.keptAt());
        return ExitCodes.OK;
    }
}
