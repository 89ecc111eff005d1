package dev.huddle.cli;

import dev.huddle.client.HubConnector;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.StoreChoice;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Printable;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.store.ImportedHistory;
import dev.huddle.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code huddle team import}: copies this machine's local history (agents, messages, asks) into the shared store the
 * configuration names, tagged with this machine, each local project under its name across machines. Idempotent: rows
 * keep their ids, so a second run copies nothing twice.
 */
@Command(name = "import", sortOptions = false,
        header = "Copy this machine's local history into the team's shared store.",
        description = {"Copies the agents, messages and asks of this machine's local database",
                "(huddle.db in the huddle home) into the shared PostgreSQL store that the",
                "configuration names (docs/team.md), tagged with this machine. Each local",
                "project (a repository path) becomes its name across machines (git config",
                "huddle.project, else the origin URL). Rows keep their ids: running it again",
                "copies nothing twice. Agents arrive offline; claims and wake records stay",
                "behind. Refused while this machine's hub runs on the local database (stop it",
                "first: huddle hub stop)."},
        footer = {"", "Exit codes: 0 copied (or nothing left to copy), 1 refused or failed, 2 usage.",
                "", "Examples:", "  huddle team import --dry-run", "  huddle team import"})
final class TeamImportCommand extends BaseCommand {
    @Option(names = "--dry-run", description = "Count what would be copied; copy nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "The counts as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        Map<String, String> env = System.getenv();
        HubPaths paths = HubPaths.fromEnvironment(env);
        Path local = paths.database();
        if (!Files.isRegularFile(local)) {
            throw new ExitException(ExitCodes.FAILURE, "no local history to import: " + local + " does not exist");
        }
        StoreChoice choice = StoreChoice.load(paths.config(), env);
        if (choice.target() == null) {
            throw new ExitException(ExitCodes.FAILURE, "no shared store is configured: set " + Settings.STORE_URL.key() + " in "
                    + paths.config() + " (or " + Settings.STORE_URL.env() + "), then run `huddle team import` again");
        }
        refuseWhileTheHubWritesIt(local);
        ProjectLocator locator = new ProjectLocator(new NioFileProbe());
        ImportedHistory c;
        try {
            c = choice.importHistory(local, env, key -> ProjectLocator.isPathKey(key) ? locator.projectKey(Path.of(key), true) : key, dryRun);
        } catch (StoreException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage() + (e.hint() == null ? "" : " " + e.hint()));
        }
        if (json) {
            printJson(c);
            return ExitCodes.OK;
        }
        String verb = dryRun ? "would copy" : "copied";
        out().printf("%s %d agents, %d messages, %d asks from %s into %s as machine %s%n", verb, c.agents(), c.messages(), c.asks(),
                local, choice.target(), choice.machine());
        out().printf("already there (by id): %d agents, %d messages, %d asks%n", c.agentsThere(), c.messagesThere(), c.asksThere());
        if (c.renamed() > 0) out().printf("%d agents arrive without their name (another agent holds it in the shared project)%n", c.renamed());
        for (Map.Entry<String, String> p : c.projects().entrySet()) {
            String shared = p.getKey().equals(p.getValue()) ? "(no name across machines: kept as the path)" : "-> " + p.getValue();
            out().println(Printable.line("project " + p.getKey() + " " + shared));
        }
        if (dryRun) out().println("nothing was copied (dry run): run `huddle team import` to copy");
        return ExitCodes.OK;
    }

    /** A hub running on the local database would go on writing it: what it writes after the copy would stay behind. */
    private void refuseWhileTheHubWritesIt(Path local) {
        HubStatus s;
        try {
            s = hub().call(new ControlRequest.Status());
        } catch (HubConnector.HubUnavailableException none) {
            return;
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, "cannot tell which database this machine's hub uses (" + e.getMessage()
                    + "): stop it with `huddle hub stop`, then run `huddle team import` again");
        }
        if (local.toString().equals(s.database())) {
            throw new ExitException(ExitCodes.FAILURE, "this machine's hub (pid " + s.pid() + ") runs on the local database " + local
                    + " and may still write it: stop it with `huddle hub stop`, then run `huddle team import` again (the next hub"
                    + " opens the shared store)");
        }
    }
}
