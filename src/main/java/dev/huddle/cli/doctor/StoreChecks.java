package dev.huddle.cli.doctor;

import dev.huddle.agents.doctor.Check;
import dev.huddle.hub.TeamStore;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;
import dev.huddle.store.postgres.PgTls;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With a team's shared store configured (docs/team.md), what this machine finds connecting to it itself, whether or
 * not a hub runs: the connection and the server, the schema against this huddle, TLS, and who the login writes as.
 */
final class StoreChecks {
    private StoreChecks() {}

    /** JUL holds loggers weakly: a reference keeps the level set. */
    private static final java.util.logging.Logger QUIET_DRIVER = java.util.logging.Logger.getLogger("org.postgresql");

    static List<Check> of(HubPaths paths, Map<String, String> env) {
        Optional<String> url;
        try {
            url = TeamStore.configuredUrl(paths, env);
        } catch (StoreException e) {
            return List.of(Check.fail("store", e.getMessage(), e.hint()));
        }
        if (url.isEmpty()) return List.of(); // the local database: the hub and database checks cover it
        TeamStore.Found f;
        QUIET_DRIVER.setLevel(java.util.logging.Level.OFF); // the driver logs a refused certificate on stderr; the check tells it, once
        try {
            f = TeamStore.checkConfigured(paths, env);
        } catch (StoreException e) {
            String ready = TeamStore.readyCommand(paths, env);
            return List.of(Check.fail(PgTls.CODE.equals(e.code()) ? "store tls" : "store", url.get() + ": " + e.getMessage(), "store-degraded".equals(e.code())
                    ? "Check the server from this machine: `" + ready + "`; the hub reconnects by itself once it answers."
                    : e.hint() != null ? e.hint() : "Check the URL and the password, and the server with `" + ready + "`."));
        }
        return List.of(server(f), tls(f), role(f));
    }

    static Check server(TeamStore.Found f) {
        String detail = f.url() + ": PostgreSQL " + f.serverVersion() + ", schema version " + f.schemaVersion();
        if (!f.serverSupported()) return Check.fail("store", detail + "; huddle needs PostgreSQL 13 or newer", "Ask the database's administrator for a newer server.");
        return switch (f.schema()) {
            case "newer" -> Check.fail("store", detail + ", newer than this huddle's " + f.knownVersion(),
                    "Upgrade huddle on this machine: the machines of a team run the same huddle, or newer.");
            case "behind", "empty" -> f.restricted()
                    ? Check.fail("store", detail + ", behind this huddle's " + f.knownVersion() + "; this machine's role never migrates",
                    "Ask the database's administrator to run `huddle team migrate` as the owner of the tables.")
                    : Check.ok("store", detail + " (this machine's hub migrates it to " + f.knownVersion() + " at its next start)");
            default -> Check.ok("store", detail + " (this huddle's)");
        };
    }

    static Check tls(TeamStore.Found f) {
        if (f.ssl() && f.hostChecked()) return Check.ok("store tls", f.tlsSummary());
        if (f.loopback()) return Check.ok("store tls", f.tlsSummary() + ", to " + f.host() + " (this machine: nothing crosses a network)");
        if (!f.ssl()) {
            return Check.warn("store tls", "not encrypted: messages cross the network to " + f.host() + " in clear text",
                    "Add sslmode=verify-full&sslrootcert=<the server's CA> to " + Settings.STORE_URL.key() + " (docs/team.md).");
        }
        if (f.serverChecked()) {
            return Check.warn("store tls", f.tlsSummary() + ": another server holding a certificate from that CA could pose as " + f.host(),
                    "Use sslmode=verify-full in " + Settings.STORE_URL.key() + " (docs/team.md).");
        }
        return Check.warn("store tls", "encrypted, but the server's certificate is not checked (sslmode " + (f.sslmode() == null ? "prefer" : f.sslmode())
                + "): a machine in the middle could pose as " + f.host(), "Use sslmode=verify-full with sslrootcert=<the server's CA> in "
                + Settings.STORE_URL.key() + " (docs/team.md).");
    }

    static Check role(TeamStore.Found f) {
        if (f.machine() != null) {
            return Check.ok("store role", f.role() + ": machine " + f.machine() + "'s own role; the database lets it write only as " + f.machine());
        }
        if (f.restricted()) {
            return Check.fail("store role", f.role() + " is not a machine of the team: it may read, not write",
                    "Ask the administrator to add it: `huddle team admin-sql --machine <name> --role " + f.role() + "` prints the SQL.");
        }
        return Check.ok("store role", f.role() + " writes as any machine (the owner, or a team without per-machine roles: docs/team.md)");
    }
}
