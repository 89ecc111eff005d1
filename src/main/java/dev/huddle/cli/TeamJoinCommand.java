package dev.huddle.cli;

import dev.huddle.hub.TeamStore;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code huddle team join <url>}: checks the team's store from this machine (the connection, the server's version,
 * the schema, who the login writes as, TLS), then writes it into config.json. The hub takes it at its next start.
 */
@Command(name = "join", sortOptions = false,
        header = "Use a team's shared PostgreSQL store on this machine.",
        description = {"Connects to the store once, checks the server (PostgreSQL 13 or newer), the schema against this",
                "huddle and the login's database role (a machine's own role names the machine), then writes the",
                "store's URL (and the password file and machine name, when given) to $HUDDLE_HOME/config.json (mode 0600).",
                "The URL never holds a password: --password-file, PGPASSWORD or ~/.pgpass give it."},
        footer = {"", "Exit codes: 0 joined, 1 the store cannot be used from here (nothing written), 2 usage (a malformed URL).",
                "", "Examples:", "  huddle team join 'postgresql://huddle_laptop@db.example.com/team_a?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem'",
                "  huddle team join postgresql://huddle@db.internal/team_a --password-file ~/.config/huddle-db.pw --machine laptop"})
final class TeamJoinCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "<url>", description = "postgresql://user@host:port/database?sslmode=verify-full")
    String url;

    @Option(names = "--machine", paramLabel = "<name>", description = "This machine's name in the team (default: the host name,"
            + " or the one a machine's own database role names).")
    String machine;

    @Option(names = "--password-file", paramLabel = "<file>", description = "A file only you can read (chmod 600) holding the password.")
    Path passwordFile;

    @Option(names = "--json", description = "What was found and written, as one JSON object.")
    boolean json;

    /** JUL holds loggers weakly: a reference keeps the level set. */
    private static final java.util.logging.Logger QUIET_DRIVER = java.util.logging.Logger.getLogger("org.postgresql");

    record Joined(TeamStore.Found found, String config, List<String> warnings) {}

    @Override
    protected int run() {
        Map<String, String> env = System.getenv();
        Path cwd = Path.of("").toAbsolutePath();
        String target; // with its files (sslrootcert, ...) in full, as written to config.json: the hub runs elsewhere
        try {
            target = TeamStore.parse(url, env, cwd);
        } catch (StoreException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e.hint());
        }
        if (machine != null && machine.isBlank()) throw new ExitException(ExitCodes.USAGE, "--machine is empty");
        QUIET_DRIVER.setLevel(java.util.logging.Level.OFF); // the driver logs a refused certificate on stderr; it is told below, once
        TeamStore.Found f;
        try {
            f = TeamStore.check(target, passwordFile, env, cwd);
        } catch (StoreException e) {
            String m = e.getMessage().replace("cannot connect to the PostgreSQL store " + target + ": ", ""); // said once, here
            throw new ExitException(ExitCodes.FAILURE, "cannot use " + target + ": " + m + (m.contains("nothing was written") ? "" : "; nothing was written"),
                    e.hint() == null ? "Check the URL, the server (pg_isready) and the password, then run this again." : e.hint());
        }
        refuse(f);
        List<String> warnings = new ArrayList<>();
        if (f.tlsWeak()) {
            warnings.add("the connection to " + f.host() + " " + (!f.ssl() ? "is not encrypted" : f.serverChecked()
                    ? "checks the server's certificate but not that it names " + f.host() : "is encrypted but the server's certificate is not checked")
                    + ": use sslmode=verify-full&sslrootcert=<the server's CA> in the URL (docs/team.md)");
        }
        if ("behind".equals(f.schema()) && f.restricted()) {
            warnings.add("the schema is at version " + f.schemaVersion() + " and this huddle needs " + f.knownVersion()
                    + ": ask the database's administrator to run `huddle team migrate` before this machine's hub starts");
        }
        HubPaths paths = HubPaths.fromEnvironment(env);
        try {
            TeamStore.join(paths.config(), target, passwordFile, machine);
        } catch (IOException | RuntimeException e) {
            throw new ExitException(ExitCodes.FAILURE, "cannot write " + paths.config() + ": " + e.getMessage());
        }
        if (json) {
            printJson(new Joined(f, paths.config().toString(), warnings));
            return ExitCodes.OK;
        }
        out().println("store   " + f.url());
        out().println("server  PostgreSQL " + f.serverVersion());
        out().println("tls     " + f.tlsSummary());
        out().println("schema  " + schemaText(f));
        out().println("role    " + f.role() + (f.machine() != null ? ": machine " + f.machine() + "'s own role (row-level security: it writes only as "
                + f.machine() + ")" : f.restricted() ? ": not listed as a machine (may read, not write)" : ": writes as any machine"));
        warnings.forEach(w -> out().println("warning " + w));
        out().println("wrote   " + Settings.STORE_URL.key() + (passwordFile != null ? ", " + Settings.STORE_PASSWORD_FILE.key() : "")
                + (machine != null ? ", " + Settings.MACHINE.key() : "") + " to " + paths.config());
        if (TeamStore.chosenByEnvironment(env)) {
            out().println("note    " + Settings.STORE_URL.env() + " is set in this environment and wins over config.json");
        }
        out().println();
        out().println("Next: restart this machine's hub so it opens the shared store: `huddle hub stop` (the next agent or huddle command");
        out().println("starts it again; agents reconnect by themselves). Then `huddle doctor` checks it from here.");
        return ExitCodes.OK;
    }

    /** What makes the store unusable from here: nothing is written then. */
    private void refuse(TeamStore.Found f) {
        if (!f.serverSupported()) {
            throw new ExitException(ExitCodes.FAILURE, "the server runs PostgreSQL " + f.serverVersion() + "; huddle needs 13 or newer; nothing was written",
                    "Ask the database's administrator for a newer server.");
        }
        if ("newer".equals(f.schema())) {
            throw new ExitException(ExitCodes.FAILURE, "the store's schema is at version " + f.schemaVersion() + ", newer than this huddle ("
                    + f.knownVersion() + "); nothing was written", "Upgrade huddle on this machine (`npm install -g @huddle-dev/huddle`), then join.");
        }
        if (f.machine() != null && machine != null && !machine.equals(f.machine())) {
            throw new ExitException(ExitCodes.FAILURE, "the database role " + f.role() + " writes as machine '" + f.machine() + "', not '"
                    + machine + "'; nothing was written", "Leave --machine out (the role names the machine), or connect with this machine's own role.");
        }
        if (f.restricted() && f.machine() == null) {
            throw new ExitException(ExitCodes.FAILURE, "the database role " + f.role() + " is not a machine of the team: it may read but not"
                    + " write; nothing was written", "Ask the administrator to add it: `huddle team admin-sql --machine <name> --role " + f.role() + "`.");
        }
    }

    private static String schemaText(TeamStore.Found f) {
        return switch (f.schema()) {
            case "empty" -> "empty: the first hub that connects as the tables' owner creates it (or `huddle team migrate`)";
            case "behind" -> "version " + f.schemaVersion() + ", behind this huddle's " + f.knownVersion()
                    + (f.restricted() ? "" : ": this machine's hub migrates it at start");
            default -> "version " + f.schemaVersion() + ", this huddle's";
        };
    }
}
