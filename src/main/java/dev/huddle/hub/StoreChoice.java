package dev.huddle.hub;

import dev.huddle.protocol.Settings;
import dev.huddle.store.ImportedHistory;
import dev.huddle.store.postgres.HistoryImport;
import dev.huddle.store.postgres.PgPassword;
import dev.huddle.store.postgres.PgTls;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresTarget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which store the hub opens: the PostgreSQL database {@code HUDDLE_STORE_URL} or config.json's {@code store_url} names
 * (the environment wins), else the local SQLite file. A malformed URL is an error (the hub refuses to start rather than
 * quietly keep a team's messages on one machine).
 *
 * @param target       the shared database, or null for the local file
 * @param passwordFile the 0600 file with its password, or null
 * @param machine      this machine's name in the shared store ({@code HUDDLE_MACHINE}, default the host name); null for
 *                     the local store
 * @param machineNamed whether the user named it ({@code HUDDLE_MACHINE}): a per-machine database role's own name then
 *                     must agree; the host name gives way to it
 */
public record StoreChoice(PostgresTarget target, Path passwordFile, String machine, boolean machineNamed) {
    public static StoreChoice load(Path configFile, Map<String, String> env) {
        String url = null;
        String passwordFile = null;
        String machine = null;
        if (Files.exists(configFile)) {
            try {
                JsonNode n = JsonMapper.shared().readTree(Files.readString(configFile));
                url = text(n, Settings.STORE_URL.key());
                passwordFile = text(n, Settings.STORE_PASSWORD_FILE.key());
                machine = text(n, Settings.MACHINE.key());
            } catch (Exception malformed) {
                // HubConfig reports a malformed file; without a readable store_url the store is the local one
            }
        }
        String fromEnv = env.get(Settings.STORE_URL.env());
        if (fromEnv != null && !fromEnv.isBlank()) url = fromEnv.strip();
        // the URL's files (sslrootcert, ...) resolved from the home ~/.pgpass is read from; a relative one is refused
        PostgresTarget target = url == null || url.isBlank() ? null : PgTls.resolve(PostgresTarget.parse(url), home(env), null);
        Path pw = passwordFile == null || passwordFile.isBlank() ? null : Path.of(passwordFile);
        String named = env.get(Settings.MACHINE.env());
        if (named == null || named.isBlank()) named = machine; // the environment wins
        boolean isNamed = named != null && !named.isBlank();
        return new StoreChoice(target, pw, target == null ? null : isNamed ? named.strip() : machine(env), // no host name lookup for the local store
                target != null && isNamed);
    }

    /**
     * Copies the local history in {@code sqliteFile} into this shared store ({@code huddle team import}); see
     * {@link HistoryImport}. Fails with a message that says what to do when the server cannot be reached.
     */
    public ImportedHistory importHistory(Path sqliteFile, Map<String, String> env, UnaryOperator<String> projectKey, boolean dryRun) {
        String password = PgPassword.find(target, passwordFile, env, home(env));
        try (PostgresDatabase shared = PostgresDatabase.open(target, password, machine, machineNamed)) {
            return HistoryImport.run(sqliteFile, shared, projectKey, dryRun);
        }
    }

    /** The user's home for ~/.pgpass and the URL's ~/ files: HOME, else the JVM's. */
    static Path home(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    private static String text(JsonNode n, String key) {
        return n != null && n.has(key) && n.get(key).isString() ? n.get(key).asString() : null;
    }

    static String machine(Map<String, String> env) {
        String m = env.get(Settings.MACHINE.env());
        if (m != null && !m.isBlank()) return m.strip();
        try { // the kernel's name for the machine, without a DNS lookup
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) return kernel;
        } catch (Exception notLinux) {
            // ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String h = env.get("HOSTNAME");
            return h == null || h.isBlank() ? "localhost" : h;
        }
    }
}
