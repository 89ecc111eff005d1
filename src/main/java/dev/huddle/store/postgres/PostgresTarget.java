package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a PostgreSQL store is: {@code postgresql://user@host:port/database?sslmode=...}, as {@code store_url} or
 * {@code HUDDLE_STORE_URL} give it. A password is refused in the URL: the URL sits in config files, logs and
 * {@code ps}; the password comes from {@code PGPASSWORD}, {@code ~/.pgpass} or a 0600 file (see {@link PgPassword}).
 *
 * @param params the query parameters, passed to the driver as connection properties ({@code sslmode},
 *               {@code sslrootcert}, ...)
 */
public record PostgresTarget(String host, int port, String database, String user, Map<String, String> params) {
    public static final int DEFAULT_PORT = 5432;

    public PostgresTarget {
        params = Map.copyOf(params);
    }

    /** Parses a {@code postgresql://} (or {@code postgres://}) URL; the message of a bad one says what is wrong. */
    public static PostgresTarget parse(String url) {
        String u = url == null ? "" : url.strip();
        String rest;
        if (u.startsWith("postgresql://")) rest = u.substring("postgresql://".length());
        else if (u.startsWith("postgres://")) rest = u.substring("postgres://".length());
        else throw bad(url, "it must start with postgresql://");
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = System.getProperty("user.name");
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            if (userInfo.contains(":")) {
                throw bad(url, "it holds a password; passwords never go in the URL (it is shown in logs and ps):"
                        + " use PGPASSWORD, ~/.pgpass or " + Settings.STORE_PASSWORD_FILE.key());
            }
            user = decode(userInfo);
            authority = authority.substring(at + 1);
        }
        String host = authority;
        int port = DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw bad(url, "the port is not a number");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) throw bad(url, "it names no host");
        if (database.isEmpty()) throw bad(url, "it names no database (postgresql://user@host:port/database)");
        Map<String, String> params = new TreeMap<>();
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            String k = decode(eq < 0 ? kv : kv.substring(0, eq));
            if (k.equalsIgnoreCase("password")) throw bad(url, "it holds a password; use PGPASSWORD, ~/.pgpass or " + Settings.STORE_PASSWORD_FILE.key());
            if (k.equalsIgnoreCase("sslpassword")) {
                throw bad(url, "it holds the passphrase of a client key (sslpassword); a secret never goes in the URL, and the hub runs unattended:"
                        + " use an unencrypted key readable by you alone (chmod 600; docs/team.md, \"Client certificates\")");
            }
            params.put(k, eq < 0 ? "" : decode(kv.substring(eq + 1)));
        }
        return new PostgresTarget(host, port, database, user, params);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static StoreException bad(String url, String why) {
        return new StoreException("store-error", "the store URL " + redact(url) + " is not usable: " + why,
                "Write it as postgresql://user@host:port/database?sslmode=verify-full", null);
    }

    /** The URL with anything after a ':' in its user part hidden, for messages about a URL that should not have had one. */
    static String redact(String url) {
        return url == null ? "(none)" : url.replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@").replaceAll("(?i)password=[^&]*", "password=***");
    }

    /** The driver's URL (no user, no password, no parameters: those go as properties). */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** A parameter's value as {@link #parse} reads it back: only what the query syntax would misread is escaped (a file path stays readable). */
    private static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (char ch : v.toCharArray()) {
            if ("%&+#= ?".indexOf(ch) >= 0) b.append('%').append(String.format("%02X", (int) ch));
            else b.append(ch);
        }
        return b.toString();
    }

    /** The URL for humans and logs (and config.json: {@link #parse} reads it back the same); it never holds a secret. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        StringBuilder b = new StringBuilder("postgresql://").append(user).append('@').append(h).append(':').append(port).append('/').append(database);
        String sep = "?";
        for (var e : new TreeMap<>(params).entrySet()) { // in a stable order: Map.copyOf keeps none
            b.append(sep).append(e.getKey()).append('=').append(escape(e.getValue()));
            sep = "&";
        }
        return b.toString();
    }
}
