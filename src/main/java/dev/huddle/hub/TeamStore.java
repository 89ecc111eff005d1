package dev.huddle.hub;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;
import dev.huddle.store.postgres.AdminSql;
import dev.huddle.store.postgres.PgPassword;
import dev.huddle.store.postgres.PgProbe;
import dev.huddle.store.postgres.PgTls;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresTarget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A team's shared store as the commands see it (docs/team.md): which one config.json names, what a connection to it
 * finds ({@code huddle team join}, {@code huddle doctor}), joining and leaving it, migrating it as its owner, and the
 * SQL that gives a machine its own database role. The hub opens the store itself ({@link HubDatabase}).
 */
public final class TeamStore {
    private TeamStore() {}

    /**
     * What a connection found.
     *
     * @param url                the store's URL, never with a secret
     * @param schema             "current", "behind", "newer" or "empty"
     * @param role               the login's database role
     * @param machine            the machine the role writes as, or null when it is not a per-machine role
     * @param restricted         whether row-level security limits its writes (a per-machine role, or one not listed)
     * @param ssl                whether the connection is encrypted
     * @param tlsVersion         its TLS protocol version ("TLSv1.3"), or null
     * @param sslmode            the URL's sslmode, or null (the driver's default: prefer)
     * @param serverChecked      whether the server's certificate was checked against a CA (verify-ca, verify-full)
     * @param hostChecked        whether the certificate was also checked to name the host (verify-full)
     * @param caFile             the CA certificate file it was checked against, or null (none, or the Java runtime's CAs)
     * @param loopback           whether the host is this machine (nothing crosses a network)
     * @param clientCert         the client certificate file the login presents (sslcert), or null
     * @param clientDn           its subject as the server took it ("/CN=huddle_laptop"), or null when the server took none
     */
    public record Found(String url, String host, String database, String serverVersion, boolean serverSupported,
                        int schemaVersion, int knownVersion, String schema, String role, String machine, boolean restricted,
                        boolean ssl, String tlsVersion, String sslmode, boolean serverChecked, boolean hostChecked, String caFile,
                        boolean loopback, String clientCert, String clientDn) {
        /** Whether the connection crosses a network without the server's certificate and name checked. */
        public boolean tlsWeak() {
            return !loopback && (!ssl || !hostChecked);
        }

        /** What TLS does for this connection, in a line. */
        public String tlsSummary() {
            if (!ssl) return "not encrypted (sslmode " + (sslmode == null ? "prefer" : sslmode) + ")";
            String ca = caFile == null ? "a CA the Java runtime trusts" : "the CA in " + caFile;
            String enc = "encrypted (" + (tlsVersion == null ? "TLS" : tlsVersion) + ")";
            if (hostChecked) return enc + ", verified: the server's certificate is signed by " + ca + " and names " + host + " (sslmode verify-full)" + client();
            if (serverChecked) return enc + ", the server's certificate is signed by " + ca + ", but whether it names " + host
                    + " is not checked (sslmode verify-ca)" + client();
            return enc + ", but the server's certificate is not checked (sslmode " + (sslmode == null ? "prefer" : sslmode) + ")" + client();
        }

        /** What the login presented of a client certificate, as a clause of {@link #tlsSummary}. */
        private String client() {
            if (clientDn != null) return "; logged in with the client certificate " + (clientCert == null ? "" : clientCert + " ") + "(" + clientDn + ")";
            return clientCert == null ? "" : "; the client certificate " + clientCert + " was not asked for (the server took the login without it)";
        }
    }

    /** The store config.json (or HUDDLE_STORE_URL) names, or empty for the local one; a malformed URL throws. */
    public static Optional<String> configuredUrl(HubPaths paths, Map<String, String> env) {
        StoreChoice c = StoreChoice.load(paths.config(), env);
        return c.target() == null ? Optional.empty() : Optional.of(c.target().toString());
    }

    /** The database of the store config.json (or HUDDLE_STORE_URL) names, or empty for the local one. */
    public static Optional<String> configuredDatabase(HubPaths paths, Map<String, String> env) {
        StoreChoice c = StoreChoice.load(paths.config(), env);
        return c.target() == null ? Optional.empty() : Optional.of(c.target().database());
    }

    /** The command that asks the configured store's server whether it takes connections. */
    public static String readyCommand(HubPaths paths, Map<String, String> env) {
        StoreChoice c = StoreChoice.load(paths.config(), env);
        return c.target() == null ? "pg_isready" : "pg_isready -h " + c.target().host() + " -p " + c.target().port();
    }

    /** Whether HUDDLE_STORE_URL chooses the store (it wins over config.json). */
    public static boolean chosenByEnvironment(Map<String, String> env) {
        String v = env.get(Settings.STORE_URL.env());
        return v != null && !v.isBlank();
    }

    /** Checks the store that config.json (or the environment) names. */
    public static Found checkConfigured(HubPaths paths, Map<String, String> env) {
        StoreChoice c = StoreChoice.load(paths.config(), env);
        if (c.target() == null) throw new StoreException("store-error", "no shared store is configured", null, null);
        return check(c.target(), c.passwordFile(), env);
    }

    /**
     * Parses a URL as {@code store_url} takes it, its files resolved as a hub would read them (a relative path
     * against {@code cwd}: the URL was typed there); the message of a bad one says what is wrong.
     */
    public static String parse(String url, Map<String, String> env, Path cwd) {
        return PgTls.resolve(PostgresTarget.parse(url), StoreChoice.home(env), cwd).toString();
    }

    /** Connects to {@code url} (its relative files against {@code cwd}) once and reads what join and doctor report; changes nothing. */
    public static Found check(String url, Path passwordFile, Map<String, String> env, Path cwd) {
        return check(PgTls.resolve(PostgresTarget.parse(url), StoreChoice.home(env), cwd), passwordFile, env);
    }

    private static Found check(PostgresTarget t, Path passwordFile, Map<String, String> env) {
        PgProbe p = PgProbe.of(t, password(t, passwordFile, env));
        String sslmode = t.params().get("sslmode");
        return new Found(t.toString(), t.host(), t.database(), p.serverVersion(), p.serverSupported(), p.schemaVersion(), p.knownVersion(),
                p.schema().name().toLowerCase(java.util.Locale.ROOT), p.role().user(), p.role().machine(), p.role().restricted(),
                p.ssl(), p.tlsVersion(), sslmode, PgTls.checksCertificate(sslmode), "verify-full".equals(sslmode), t.params().get("sslrootcert"),
                loopback(t.host()), p.clientCert(), p.clientDn());
    }

    /** Whether a connection to {@code host} stays on this machine: localhost, 127.0.0.0/8, ::1 (no name is looked up). */
    static boolean loopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static String password(PostgresTarget t, Path passwordFile, Map<String, String> env) {
        return PgPassword.find(t, passwordFile, env, StoreChoice.home(env));
    }

    /**
     * Migrates the configured store as its owner ({@code huddle team migrate}); returns the schema version before and
     * after. A per-machine role is refused: it never changes the schema.
     */
    public static int[] migrate(HubPaths paths, Map<String, String> env) {
        StoreChoice c = StoreChoice.load(paths.config(), env);
        if (c.target() == null) throw new StoreException("store-error", "no shared store is configured", null, null);
        Found before = check(c.target(), c.passwordFile(), env);
        if (before.machine() != null || before.restricted()) {
            throw new StoreException("store-error", "the database role " + before.role() + " is " + (before.machine() != null
                    ? "machine " + before.machine() + "'s role" : "not the owner of huddle's tables") + ": it never changes the schema",
                    "Run it as the owner of the tables: HUDDLE_STORE_URL=postgresql://<owner>@" + c.target().host() + ":" + c.target().port()
                            + "/" + c.target().database() + " huddle team migrate", null);
        }
        try (PostgresDatabase db = PostgresDatabase.open(c.target(), password(c.target(), c.passwordFile(), env), c.machine(), c.machineNamed())) {
            return new int[]{before.schemaVersion(), db.schemaVersion()};
        }
    }

    /** The SQL that gives {@code machine} its own role {@code role} on {@code database}, with what runs it. */
    public static List<String> adminSql(String database, String role, String machine) {
        List<String> out = new ArrayList<>();
        out.add("-- As a role that may create roles (the server's administrator):");
        out.add(AdminSql.createRole(role) + ";");
        out.add("\\password " + role);
        out.add("-- As the owner of huddle's tables, on database " + database + " (after `huddle team migrate`):");
        for (String s : AdminSql.asOwner(database, role, machine)) out.add(s + ";");
        return out;
    }

    /** Whether {@code role} is a usable name for a machine's role. */
    public static boolean validRole(String role) {
        return AdminSql.validRole(role);
    }

    /**
     * Writes {@code store_url} (as {@link #parse} gave it back, with its files in full; and {@code store_password_file},
     * {@code machine} when given) into config.json, keeping its other keys; the file is the user's alone (0600).
     */
    public static void join(Path config, String url, Path passwordFile, String machine) throws IOException {
        ObjectNode n = read(config);
        n.put(Settings.STORE_URL.key(), PostgresTarget.parse(url).toString());
        if (passwordFile != null) n.put(Settings.STORE_PASSWORD_FILE.key(), passwordFile.toAbsolutePath().normalize().toString());
        if (machine != null) n.put(Settings.MACHINE.key(), machine);
        write(config, n);
    }

    /** Removes {@code store_url} from config.json, keeping the rest; returns the URL it held, or null. */
    public static String leave(Path config) throws IOException {
        if (!Files.exists(config)) return null;
        ObjectNode n = read(config);
        JsonNode was = n.remove(Settings.STORE_URL.key());
        if (was == null) return null;
        write(config, n);
        return was.isString() ? was.asString() : was.toString();
    }

    private static ObjectNode read(Path config) throws IOException {
        if (!Files.exists(config)) return JsonMapper.shared().createObjectNode();
        JsonNode n;
        try {
            n = JsonMapper.shared().readTree(Files.readString(config, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(config + " is not valid JSON (" + e.getMessage() + "); fix or move it aside, then run this again", e);
        }
        if (n == null || n.isMissingNode() || n.isNull()) return JsonMapper.shared().createObjectNode();
        if (!(n instanceof ObjectNode o)) throw new IOException(config + " does not hold a JSON object; fix or move it aside, then run this again");
        return o;
    }

    /** Writes beside, then moves over: a reader never sees half a file, and the file is never readable by others. */
    private static void write(Path config, ObjectNode n) throws IOException {
        HubPaths.ensurePrivateDirectory(config.getParent());
        Path tmp = config.resolveSibling(config.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        HubPaths.ensurePrivateFile(tmp);
        Files.writeString(tmp, JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
