package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What {@code huddle team join} and {@code huddle doctor} check of a shared store, without changing it: the server
 * answers and takes the login, its version, the schema's version against this huddle's, who this login writes as, and
 * whether the connection is encrypted.
 *
 * @param serverVersion    the server's version, as it names it ("16.4")
 * @param serverVersionNum the server's version as a number (160004)
 * @param schemaVersion    the schema's version (0: never migrated)
 * @param knownVersion     the newest version this huddle knows
 * @param role             who the login writes as
 * @param ssl              whether the connection is encrypted
 * @param tlsVersion       the TLS protocol version of an encrypted connection ("TLSv1.3"), else null
 * @param clientDn         the subject of the client certificate the server took for this connection ("/CN=huddle_laptop"), else null
 * @param clientCert       the file of the client certificate the URL names (sslcert, or a PKCS#12 sslkey), else null
 */
public record PgProbe(String serverVersion, int serverVersionNum, int schemaVersion, int knownVersion, PgRole role, boolean ssl,
                      String tlsVersion, String clientDn, String clientCert) {
    /** The oldest server huddle supports. */
    public static final int MIN_SERVER_VERSION = 13;

    public enum Schema { CURRENT, BEHIND, NEWER, EMPTY }

    /** Connects once and reads; fails with the store's own messages (server not reachable, login refused). */
    public static PgProbe of(PostgresTarget target, String password) {
        PgTls.checkFiles(target);
        PgHealth health = new PgHealth(target);
        try (Connection c = PostgresDatabase.connect(target, password, null, 15)) {
            String version;
            int num;
            boolean ssl;
            String tls = null;
            String clientDn = null;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_setting('server_version_num')::int")) {
                rs.next();
                version = rs.getString(1);
                num = rs.getInt(2);
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT ssl, version, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                ssl = rs.next() && rs.getBoolean(1);
                if (ssl) {
                    tls = rs.getString(2);
                    clientDn = rs.getString(3);
                }
            }
            int schema;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT to_regclass('huddle_schema') IS NOT NULL")) {
                rs.next();
                schema = rs.getBoolean(1) ? PgMigrations.version(c) : 0;
            }
            return new PgProbe(version, num, schema, PgMigrations.MIGRATIONS.size(), PgRole.of(c), ssl, tls, clientDn, PgClientCert.describe(target));
        } catch (SQLException e) {
            StoreException failure = health.failure("cannot connect to the PostgreSQL store " + target, e);
            throw new StoreException(failure.code(), failure.getMessage(), failure.hint(), e);
        }
    }

    public boolean serverSupported() {
        return serverVersionNum >= MIN_SERVER_VERSION * 10_000;
    }

    public Schema schema() {
        if (schemaVersion == 0) return Schema.EMPTY;
        if (schemaVersion > knownVersion) return Schema.NEWER;
        return schemaVersion < knownVersion ? Schema.BEHIND : Schema.CURRENT;
    }
}
