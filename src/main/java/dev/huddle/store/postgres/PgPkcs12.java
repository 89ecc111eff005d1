package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;
import java.util.Properties;

/**
 * A PKCS#12 file as the client key ({@code sslkey=....p12} or {@code .pfx}; docs/team.md, "Client certificates"). The
 * driver reads the key and its certificate under the name {@value #ALIAS} only, and asks a callback for the file's
 * password; the hub runs unattended, so, as for a PEM key, huddle takes a file without a password (readable by its
 * owner alone) and gives the driver the empty password itself ({@link #driverProperties}): nothing secret goes in the
 * URL, a log or {@code ps}, and the driver never waits on a console. Checked here before connecting, so that a file
 * with a password or under another name is refused with the openssl commands that export it again.
 */
final class PgPkcs12 {
    /** The one name the driver's PKCS#12 key manager looks the key up by. */
    static final String ALIAS = "user";
    private static final char[] NO_PASSWORD = new char[0];

    private PgPkcs12() {}

    /** The driver's password for a PKCS#12 {@code sslkey}: the empty one (a file with another is refused before connecting). */
    static void driverProperties(PostgresTarget t, Properties p) {
        String key = t.params().get("sslkey");
        if (key != null && named(key)) p.setProperty("sslpassword", "");
    }

    /** Whether the driver takes this {@code sslkey} for a PKCS#12 file: by its name's ending, as it does. */
    static boolean named(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".p12") || f.endsWith(".pfx");
    }

    /** The certificate of the key under {@value #ALIAS}, or a refusal that says how to export the file as the driver reads it. */
    static X509Certificate certificate(PostgresTarget t, Path file) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, NO_PASSWORD);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) throw passwordProtected(t, file);
            throw notOne(t, file, e);
        } catch (GeneralSecurityException e) {
            throw notOne(t, file, e);
        }
        KeyStore.Entry entry;
        try {
            entry = store.getEntry(ALIAS, new KeyStore.PasswordProtection(NO_PASSWORD));
        } catch (UnrecoverableKeyException e) {
            throw passwordProtected(t, file); // the MAC without a password, the key under one
        } catch (GeneralSecurityException e) {
            throw notOne(t, file, e);
        }
        if (!(entry instanceof KeyStore.PrivateKeyEntry key) || !(key.getCertificate() instanceof X509Certificate cert)) {
            String names;
            try {
                names = Collections.list(store.aliases()).toString();
            } catch (GeneralSecurityException e) {
                names = "?";
            }
            throw refused(t, "the PKCS#12 file sslkey=" + file + " holds no key and certificate under the name \"" + ALIAS
                    + "\", the only one the driver reads (its names: " + names + ")", exportAgain(file));
        }
        return cert;
    }

    private static StoreException passwordProtected(PostgresTarget t, Path file) {
        return refused(t, "the PKCS#12 file sslkey=" + file + " is protected by a password, and the hub runs unattended (it has no one"
                + " to ask, and a password never goes in the URL)", exportAgain(file));
    }

    private static StoreException notOne(PostgresTarget t, Path file, Exception e) {
        return refused(t, "sslkey=" + file + " is not a PKCS#12 file huddle can read (" + e.getMessage() + ")",
                "Name a PKCS#12 file (.p12, .pfx), or the PEM certificate and key in sslcert and sslkey.");
    }

    private static StoreException refused(PostgresTarget t, String why, String hint) {
        return new StoreException(PgTls.CODE, "cannot use the PostgreSQL store " + t.host() + ":" + t.port() + "/" + t.database() + ": " + why
                + "; nothing was written", hint, null);
    }

    private static String exportAgain(Path file) {
        return "Export it again without a password, under the name \"" + ALIAS + "\": `openssl pkcs12 -in " + file + " -nodes -out key-and-cert.pem`,"
                + " `openssl pkcs12 -export -in key-and-cert.pem -name " + ALIAS + " -passout pass: -out <new .p12>`, `chmod 600 <new .p12>`, then"
                + " delete key-and-cert.pem and name the new file in sslkey (or name the PEM certificate and key in sslcert and sslkey).";
    }
}
