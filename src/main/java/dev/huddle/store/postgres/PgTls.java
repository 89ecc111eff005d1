package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * TLS to a shared store's server (docs/team.md, "TLS"). The files the URL names are resolved here rather than by the
 * driver: a leading {@code ~} (the driver opens {@code ~/ca.pem} literally), a relative path (the hub's working
 * directory is not the user's), the CA file libpq and the driver default to for {@code verify-ca} and
 * {@code verify-full} ({@code ~/.postgresql/root.crt}, from the same home as {@code ~/.pgpass}), and
 * {@code sslrootcert=system} (libpq 16's spelling for the system's trusted CAs: here the Java runtime's). A CA file
 * that cannot be read is refused before connecting, and the driver's TLS failures become {@code store-tls} errors that
 * name the certificate problem and the next step instead of a Java exception's text.
 */
public final class PgTls {
    /** The code of a connection refused for TLS: an untrusted or misnamed certificate, a CA file, TLS off on one side. */
    public static final String CODE = "store-tls";
    /** The URL parameters that name files on this machine. */
    private static final List<String> FILES = List.of("sslrootcert", "sslcert", "sslkey");
    private static final String JAVA_TRUST = "org.postgresql.ssl.DefaultJavaSSLFactory";

    private PgTls() {}

    /** Whether the mode checks the server's certificate against a CA. */
    public static boolean checksCertificate(String sslmode) {
        return "verify-ca".equals(sslmode) || "verify-full".equals(sslmode);
    }

    /**
     * The target with its files resolved: {@code ~/} against {@code home}, a relative path against {@code cwd} (null:
     * refused, as for a hub, whose working directory is not where the user typed the URL), the default CA file filled
     * in for the modes that check the certificate, {@code sslrootcert=system} as the Java runtime's trusted CAs.
     */
    public static PostgresTarget resolve(PostgresTarget t, Path home, Path cwd) {
        Map<String, String> p = new TreeMap<>(t.params());
        if ("system".equals(p.get("sslrootcert"))) {
            p.remove("sslrootcert");
            p.putIfAbsent("sslfactory", JAVA_TRUST);
        } else if (checksCertificate(p.get("sslmode")) && !p.containsKey("sslrootcert") && !p.containsKey("sslfactory") && home != null) {
            p.put("sslrootcert", home.resolve(".postgresql/root.crt").toString());
        }
        for (String key : FILES) {
            String v = p.get(key);
            if (v == null || v.isEmpty()) continue;
            Path file;
            if (v.equals("~") || v.startsWith("~/")) {
                if (home == null) throw refused(t, key + "=" + v + " starts with ~, and this process has no home directory", "Write the full path.");
                file = home.resolve(v.equals("~") ? "" : v.substring(2));
            } else {
                file = Path.of(v);
                if (!file.isAbsolute()) {
                    if (cwd == null) {
                        throw refused(t, key + "=" + v + " is a relative path, and the hub does not run where it was written",
                                "Write the full path (or ~/...) in " + Settings.STORE_URL.key() + ", or run `huddle team join` with the URL again:"
                                        + " it writes relative paths out in full.");
                    }
                    file = cwd.resolve(file);
                }
            }
            p.put(key, file.normalize().toString());
        }
        return new PostgresTarget(t.host(), t.port(), t.database(), t.user(), p);
    }

    /**
     * Refuses, before any connection, a CA file the driver could not read for a mode that checks the certificate, and
     * a client certificate or key that cannot be used ({@link PgClientCert}).
     */
    static void checkFiles(PostgresTarget t) {
        PgClientCert.check(t);
        String ca = t.params().get("sslrootcert");
        if (!checksCertificate(t.params().get("sslmode")) || ca == null || ca.isEmpty()) return;
        Path file = Path.of(ca);
        if (Files.isRegularFile(file) && Files.isReadable(file)) return;
        boolean implicit = file.endsWith(Path.of(".postgresql", "root.crt")); // the default, or named as it
        String what = Files.exists(file) ? "cannot be read" : "does not exist";
        throw refused(t, "sslmode=" + t.params().get("sslmode") + " checks the server's certificate against a CA certificate, and "
                        + (implicit ? "none is named: no sslrootcert in the URL, and the default one, " + file + ", " + what : "sslrootcert=" + file + " " + what),
                "Ask the database's administrator for the CA certificate (PEM) that signed the server's certificate, save it on this"
                        + " machine, and add sslrootcert=<its path> to " + Settings.STORE_URL.key() + " (docs/team.md, \"TLS\").");
    }

    /** The failure told as a TLS problem with its next step, or null when TLS is not what failed. */
    static StoreException refusal(String what, PostgresTarget t, SQLException e) {
        String sslmode = t.params().getOrDefault("sslmode", "prefer");
        String ca = t.params().containsKey("sslfactory") && !t.params().containsKey("sslrootcert")
                ? "the Java runtime's trusted CAs" : "the CA certificate in sslrootcert=" + t.params().getOrDefault("sslrootcert", "?");
        String where = t.host() + ":" + t.port() + "/" + t.database();
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase(Locale.ROOT);
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("28") && lower.contains("encryption") && !checksCertificate(sslmode) && !"require".equals(sslmode)) {
            // pg_hba.conf has no line for a plain connection: it takes TLS only from here (or nothing from this host and role)
            return new StoreException(CODE, what + ": PostgreSQL at " + where + " accepts only encrypted (TLS) connections from here, and this"
                    + " one was not (sslmode=" + sslmode + "); nothing was written (" + m + ")", "Use sslmode=verify-full&sslrootcert=<the server's CA"
                    + " certificate> in " + Settings.STORE_URL.key() + " (docs/team.md, \"TLS\"); if that is refused too, ask the database's"
                    + " administrator to let this host and role in (pg_hba.conf).", e);
        }
        if (state.startsWith("28") && (lower.contains("certificate") || lower.contains("authenticated user name"))) {
            return clientCertRefused(what, t, where, m, e);
        }
        if (lower.contains("does not support ssl")) {
            return new StoreException(CODE, what + ": PostgreSQL at " + where + " does not offer TLS, and sslmode=" + sslmode + " requires it;"
                    + " nothing was written", "Ask the database's administrator to turn TLS on (ssl = on, a certificate; docs/team.md, \"TLS\")."
                    + " Never drop sslmode to connect anyway when the connection leaves this machine.", e);
        }
        if (lower.contains("hostname") && lower.contains("could not be verified")) {
            return new StoreException(CODE, what + ": the server's certificate does not name the host " + t.host() + ", so it cannot be"
                    + " told apart from a machine posing as it (sslmode=verify-full checks the name); nothing was written",
                    "Connect with a host name the certificate names (its subjectAltName: `openssl s_client -starttls postgres -connect "
                            + t.host() + ":" + t.port() + " </dev/null | openssl x509 -noout -ext subjectAltName`), or ask the administrator for a"
                            + " certificate that names " + t.host() + ". (sslmode=verify-ca would skip the name, and so trust any server holding"
                            + " a certificate from that CA.)", e);
        }
        Throwable certProblem = find(e, CertPathBuilderException.class, CertPathValidatorException.class,
                CertificateExpiredException.class, CertificateNotYetValidException.class);
        if (certProblem != null) {
            String why = certProblem instanceof CertPathBuilderException
                    ? "is not signed by " + ca
                    : certProblem instanceof CertificateExpiredException || String.valueOf(certProblem.getMessage()).contains("validity")
                    ? "is outside its validity period (expired, or not valid yet)" : "could not be verified against " + ca;
            return new StoreException(CODE, what + ": the server's certificate at " + where + " " + why + " (sslmode=" + sslmode
                    + "), so it cannot be trusted; nothing was written (" + root(certProblem) + ")",
                    "Point sslrootcert at the CA certificate that signed the server's certificate (ask the database's administrator;"
                            + " `openssl s_client -starttls postgres -connect " + t.host() + ":" + t.port() + " -CAfile <ca.pem> </dev/null`"
                            + " says \"Verify return code: 0 (ok)\" for the right one). If the server's certificate changed, make sure it is"
                            + " the server before you trust a new CA.", e);
        }
        if (lower.contains("ssl root certificate")) {
            return new StoreException(CODE, what + ": cannot use " + ca + " (" + m + (e.getCause() == null ? "" : ": " + root(e.getCause()))
                    + "); nothing was written", "sslrootcert must name a readable PEM file holding the CA certificate that signed the"
                    + " server's certificate (a full path, or ~/...).", e);
        }
        boolean unreachable = find(e, java.net.ConnectException.class, java.net.UnknownHostException.class, java.net.SocketTimeoutException.class) != null;
        String clientCert = PgClientCert.describe(t) == null || unreachable || !(state.startsWith("08") || find(e, javax.net.ssl.SSLException.class,
                java.net.SocketException.class, java.io.EOFException.class) != null) ? null : PgClientCert.validityProblem(t);
        if (clientCert != null) {
            // the server ends the handshake with a bare alert (certificate_expired, bad_certificate): the dates are ours to tell
            return new StoreException(CODE, what + ": PostgreSQL at " + where + " refused the login: " + clientCert + "; nothing was written ("
                    + m + (e.getCause() == null ? "" : ": " + root(e.getCause())) + ")", "Ask the database's administrator for a certificate valid"
                    + " now for this machine's role, and put it and its key in place of these files (same paths): the hub uses them from its"
                    + " next connection, with no restart (docs/team.md, \"Client certificates\"). For one not valid yet, check this machine's clock first"
                    + " (`date -u`).", e);
        }
        Throwable ssl = find(e, javax.net.ssl.SSLException.class);
        if (ssl != null) {
            boolean expiredThere = root(ssl).contains("certificate_expired") && PgClientCert.describe(t) != null; // valid by this machine's clock
            return new StoreException(CODE, what + ": the TLS handshake with PostgreSQL at " + where + " failed (sslmode=" + sslmode + ");"
                    + " nothing was written (" + root(ssl) + ")", expiredThere
                    ? "The server holds the client certificate " + PgClientCert.describe(t) + " expired, and by this machine's clock it is not:"
                    + " compare the two clocks (`date -u` here and on the server), or ask the administrator for a new certificate."
                    : "Check the server's TLS set-up and " + Settings.STORE_URL.key() + "'s ssl parameters (docs/team.md, \"TLS\").", e);
        }
        return null;
    }

    /** The server refused the login for the client certificate: none sent, one it does not trust, or one for another role. */
    private static StoreException clientCertRefused(String what, PostgresTarget t, String where, String m, SQLException e) {
        String cert = PgClientCert.describe(t);
        String lower = m.toLowerCase(Locale.ROOT);
        String why;
        String next;
        if (cert == null) {
            why = "PostgreSQL at " + where + " takes role " + t.user() + " only with a client certificate, and the URL names none";
            next = "Add sslcert=<this machine's certificate>&sslkey=<its key> to " + Settings.STORE_URL.key() + " (docs/team.md, \"Client certificates\").";
        } else if (lower.contains("requires a valid client certificate")) {
            why = "PostgreSQL at " + where + " did not accept the client certificate " + cert + ": it is not signed by a CA the server trusts"
                    + " (its ssl_ca_file), so the driver did not offer it";
            next = "Ask the database's administrator for a certificate signed by the CA in the server's ssl_ca_file (`openssl x509 -in " + cert
                    + " -noout -issuer` shows who signed this one).";
        } else {
            why = "PostgreSQL at " + where + " did not take the client certificate " + cert + " for role " + t.user()
                    + ": the certificate's CN must be the role's name (or pg_ident.conf map it)";
            next = "Connect as the role the certificate names (`openssl x509 -in " + cert + " -noout -subject`), or ask the database's"
                    + " administrator for a certificate whose CN is " + t.user() + ".";
        }
        return new StoreException(CODE, what + ": " + why + "; nothing was written (" + m + ")", next, e);
    }

    private static StoreException refused(PostgresTarget t, String why, String hint) {
        return new StoreException(CODE, "cannot use the PostgreSQL store " + t.host() + ":" + t.port() + "/" + t.database() + ": " + why, hint, null);
    }

    @SafeVarargs
    private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<? extends Throwable> type : types) if (type.isInstance(c)) return c;
        }
        return null;
    }

    /** The innermost cause's message, without the Java class names the driver's text wraps it in. */
    private static String root(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        String m = String.valueOf(r.getMessage());
        return m.replaceAll("(?:[a-z]+\\.)+[A-Z][A-Za-z]*(?:Exception|Error): ", "");
    }
}
