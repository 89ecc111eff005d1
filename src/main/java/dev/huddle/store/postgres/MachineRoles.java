package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;

/**
 * The refusals of a per-machine role (docs/team.md, "Per-machine roles"), each saying what to do next: the role is
 * another machine's, it may not write at all, it may not migrate, or the database refused one of its writes.
 */
final class MachineRoles {
    private MachineRoles() {}

    /** The code of a write the database refused (SQLSTATE 42501: row-level security or a missing privilege). */
    static final String FORBIDDEN = "store-forbidden";

    static StoreException otherMachine(PostgresTarget target, PgRole role, String machine) {
        return new StoreException("store-error", "the database role " + role.user() + " at " + target + " writes as machine '"
                + role.machine() + "', but " + Settings.MACHINE.env() + " names this machine '" + machine + "'",
                "Unset " + Settings.MACHINE.env() + " (the role names the machine) or set it to " + role.machine()
                        + "; if this is not machine " + role.machine() + ", connect with this machine's own role (its user in "
                        + Settings.STORE_URL.key() + ").", null);
    }

    static StoreException unlisted(PostgresTarget target, PgRole role) {
        return new StoreException("store-error", "the database role " + role.user() + " at " + target
                + " is not a machine of the team (huddle_machines does not list it), so it may read but not write",
                "Ask the database's administrator to add this machine: `huddle team admin-sql --machine <name> --role "
                        + role.user() + "` prints the SQL (docs/team.md, Per-machine roles).", null);
    }

    static StoreException behind(String where, PgRole role, int version, int known) {
        return new StoreException("store-error", "the PostgreSQL store at " + where + " has schema version " + version
                + " and this huddle needs " + known + "; the database role " + role.user()
                + " is a machine's role, which never changes the schema",
                "Ask the database's administrator to run `huddle team migrate` (as the owner of the tables), then start the hub again.", null);
    }

    static StoreException cannotMigrate(String where, String user, int version, Exception cause) {
        return new StoreException("store-error", "the database role " + user + " may not migrate the PostgreSQL store at " + where
                + " from schema version " + version + " (" + cause.getMessage() + ")",
                "Ask the database's administrator to run `huddle team migrate` as the owner of the tables, then start the hub again.", cause);
    }

    static StoreException refused(String what, String where, Exception cause) {
        return new StoreException(FORBIDDEN, what + ": the database at " + where + " refused the write: this machine's role may"
                + " change only its own agents' rows (" + cause.getMessage() + ")",
                "An agent of another machine is changed by its own machine's hub; see docs/team.md, Per-machine roles.", cause);
    }
}
