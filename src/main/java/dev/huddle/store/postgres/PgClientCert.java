package dev.huddle.store.postgres;

import dev.huddle.protocol.Settings;
import dev.huddle.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;

/**
 * A client certificate in place of a password (docs/team.md, "Client certificates"): the files {@code sslcert} and
 * {@code sslkey} name, checked before any connection so that a problem is told with its next step rather than as the
 * driver's "Could not load the private key". The key must be the owner's alone (0600; 0640 when root owns it), as
 * libpq requires, and unencrypted (the hub runs unattended, so a passphrase would have to sit beside the key). The
 * driver reads a PKCS#8 key, PEM ("BEGIN PRIVATE KEY", what openssl 3 writes) or DER ({@code .pk8}), and a PKCS#12
 * file ({@code .p12}, {@code .pfx}; without a password, see {@link PgPkcs12}); of a PEM key it must be told the
 * algorithm (it assumes RSA), which {@link #pemKeyAlgorithm} reads from the key. The older PEM forms ("BEGIN EC PRIVATE
 * KEY", PKCS#1's "BEGIN RSA PRIVATE KEY"), which the driver cannot read, and encrypted keys are refused with the openssl
 * command that converts them; a certificate outside its validity period with its dates, which the server's refusal
 * (a bare TLS alert) does not give.
 */
final class PgClientCert {
    /** The driver's property for a PEM key's algorithm. */
    static final String PEM_ALGORITHM = "pemKeyAlgorithm";
    private static final String PKCS8_PEM = "-----BEGIN PRIVATE KEY-----";

    private PgClientCert() {}

    /** Refuses, before connecting, a client certificate or key that cannot be used; nothing when the URL names none. */
    static void check(PostgresTarget t) {
        String certParam = t.params().get("sslcert");
        String keyParam = t.params().get("sslkey");
        boolean hasCert = certParam != null && !certParam.isEmpty();
        boolean hasKey = keyParam != null && !keyParam.isEmpty();
        if (!hasCert && !hasKey) return;
        if (hasKey && pkcs12(keyParam)) {
            readable(t, Path.of(keyParam), "sslkey");
            privateToOwner(t, Path.of(keyParam));
            inValidity(t, "sslkey", Path.of(keyParam), PgPkcs12.certificate(t, Path.of(keyParam)));
            return;
        }
        if (!hasCert || !hasKey) {
            throw refused(t, "the URL names " + (hasCert ? "a client certificate (sslcert) but not its key (sslkey)" : "a key (sslkey) but not its"
                    + " client certificate (sslcert)"), "Name both: sslcert=<the certificate, PEM>&sslkey=<its key> (docs/team.md, \"Client certificates\").");
        }
        Path certFile = Path.of(certParam);
        Path keyFile = Path.of(keyParam);
        readable(t, certFile, "sslcert");
        readable(t, keyFile, "sslkey");
        privateToOwner(t, keyFile);
        X509Certificate cert = certificate(t, certFile);
        PrivateKey key = key(t, keyFile, cert.getPublicKey().getAlgorithm());
        if (!matches(cert, key)) {
            throw refused(t, "the key in sslkey=" + keyFile + " is not the key of the certificate in sslcert=" + certFile,
                    "Name the key the certificate was made for (`openssl x509 -in " + certFile + " -noout -pubkey` and `openssl pkey -in "
                            + keyFile + " -pubout` print the same public key for a pair).");
        }
    }

    /** The algorithm of a PKCS#8 PEM key in {@code sslkey}, for the driver (which assumes RSA), or null when it is not one or cannot be read. */
    static String pemKeyAlgorithm(PostgresTarget t) {
        String keyParam = t.params().get("sslkey");
        if (keyParam == null || keyParam.isEmpty() || t.params().containsKey(PEM_ALGORITHM) || pkcs12(keyParam)) return null;
        try {
            byte[] der = pkcs8FromPem(Files.readString(Path.of(keyParam), StandardCharsets.US_ASCII));
            return der == null ? null : algorithmOf(der);
        } catch (IOException | RuntimeException e) {
            return null; // the driver then says what is wrong with the file
        }
    }

    /** What a login with this URL presents, for join and doctor: the certificate's file, or null when it names none. */
    static String describe(PostgresTarget t) {
        String certParam = t.params().get("sslcert");
        String keyParam = t.params().get("sslkey");
        if (keyParam != null && pkcs12(keyParam)) return keyParam;
        return certParam == null || certParam.isEmpty() ? null : certParam;
    }

    private static boolean pkcs12(String file) {
        return PgPkcs12.named(file);
    }

    private static void readable(PostgresTarget t, Path file, String param) {
        if (Files.isRegularFile(file) && Files.isReadable(file)) return;
        throw refused(t, param + "=" + file + (Files.exists(file) ? " cannot be read" : " does not exist"),
                "Check the path in " + Settings.STORE_URL.key() + " (a full path, or ~/...): the client certificate and its key come from the"
                        + " database's administrator, or are made for this machine's role (docs/team.md, \"Client certificates\").");
    }

    /** libpq's rule: the key is its owner's alone (0600 or less), or 0640 or less when root owns it. */
    private static void privateToOwner(PostgresTarget t, Path key) {
        Set<PosixFilePermission> perms;
        boolean rootOwned;
        try {
            perms = Files.getPosixFilePermissions(key);
            rootOwned = Integer.valueOf(0).equals(Files.getAttribute(key, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return; // no POSIX permissions here (the driver checks what it can)
        }
        boolean others = perms.stream().anyMatch(p -> p.name().startsWith("OTHERS"));
        boolean group = perms.stream().anyMatch(p -> p.name().startsWith("GROUP") && (!rootOwned || p != PosixFilePermission.GROUP_READ));
        if (others || group) {
            throw refused(t, "the key sslkey=" + key + " can be read by others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                    + "): anyone who reads it can log in as this machine", "Run `chmod 600 " + key + "` (libpq refuses such a key too).");
        }
    }

    private static X509Certificate certificate(PostgresTarget t, Path file) {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(file)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw refused(t, "sslcert=" + file + " does not hold a certificate (" + e.getMessage() + ")",
                    "sslcert names the client certificate (PEM, \"BEGIN CERTIFICATE\"); its key goes in sslkey.");
        }
        inValidity(t, "sslcert", file, cert);
        return cert;
    }

    /** Refuses a client certificate outside its validity period: the server would refuse it, with a TLS alert that names no date. */
    static void inValidity(PostgresTarget t, String param, Path file, X509Certificate cert) {
        String why = outsideValidity(cert, Instant.now());
        if (why == null) return;
        boolean early = cert.getNotBefore().toInstant().isAfter(Instant.now());
        throw refused(t, "the client certificate " + param + "=" + file + " (" + cert.getSubjectX500Principal().getName() + ") " + why,
                (early ? "Check this machine's clock (`date -u`); if it is right, the certificate is not for use yet: ask the database's administrator"
                        : "Ask the database's administrator") + " for a certificate valid now for this machine's role, and put it and its key in place"
                        + " of these files (same paths): a running hub uses them from its next connection, with no restart (docs/team.md,"
                        + " \"Client certificates\").");
    }

    /** Why the certificate is not valid at {@code now} ("expired on ...", "is not valid until ..."), or null when it is. */
    static String outsideValidity(X509Certificate cert, Instant now) {
        try {
            cert.checkValidity(java.util.Date.from(now));
            return null;
        } catch (CertificateExpiredException e) {
            return "expired on " + cert.getNotAfter().toInstant() + " (valid from " + cert.getNotBefore().toInstant() + "), and the server refuses an"
                    + " expired certificate";
        } catch (CertificateNotYetValidException e) {
            return "is not valid until " + cert.getNotBefore().toInstant() + " (this machine's clock says " + now.truncatedTo(ChronoUnit.SECONDS)
                    + "), and the server refuses a certificate before its time";
        }
    }

    /**
     * Why the client certificate the URL names is not valid now, for a refusal by the server (a certificate that expired
     * while the hub ran, or was replaced by one that has); null when it is valid or cannot be read.
     */
    static String validityProblem(PostgresTarget t) {
        String keyParam = t.params().get("sslkey");
        String certParam = t.params().get("sslcert");
        try {
            X509Certificate cert;
            if (keyParam != null && pkcs12(keyParam)) {
                cert = PgPkcs12.certificate(t, Path.of(keyParam));
            } else if (certParam != null && !certParam.isEmpty()) {
                try (InputStream in = Files.newInputStream(Path.of(certParam))) {
                    cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
            } else {
                return null;
            }
            String why = outsideValidity(cert, Instant.now());
            return why == null ? null : "the client certificate " + describe(t) + " (" + cert.getSubjectX500Principal().getName() + ") " + why;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null; // the refusal is then told without the certificate's dates
        }
    }

    private static PrivateKey key(PostgresTarget t, Path file, String algorithm) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw refused(t, "cannot read sslkey=" + file + " (" + e.getMessage() + ")", "Check the file and its path.");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String convert = "Convert it to an unencrypted PKCS#8 key readable by you alone: `openssl pkcs8 -topk8 -nocrypt -in " + file
                + " -out <new key>` then `chmod 600 <new key>`, and name the new key in sslkey.";
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw refused(t, "the key sslkey=" + file + " is encrypted with a passphrase, and the hub runs unattended (it has no one to ask)",
                    "Decrypt it to a file readable by you alone: `openssl pkey -in " + file + " -out <new key>` then `chmod 600 <new key>`,"
                            + " and name the new key in sslkey.");
        }
        byte[] der;
        if (text.contains("-----BEGIN")) {
            der = pkcs8FromPem(text);
            if (der == null) {
                String form = text.contains("BEGIN EC PRIVATE KEY") ? "an EC key in the older PEM form (\"BEGIN EC PRIVATE KEY\")"
                        : text.contains("BEGIN RSA PRIVATE KEY") ? "an RSA key in the older PEM form (\"BEGIN RSA PRIVATE KEY\")"
                        : "not a private key huddle can read";
                throw refused(t, "the key sslkey=" + file + " is " + form + "; the driver reads PKCS#8 keys (\"BEGIN PRIVATE KEY\", or DER)", convert);
            }
        } else {
            der = bytes;
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            String actual = algorithmOf(der);
            throw refused(t, actual != null ? "the key sslkey=" + file + " is an " + actual + " key, and the certificate's key is " + algorithm
                            : "sslkey=" + file + " does not hold a PKCS#8 private key (" + e.getMessage() + ")",
                    actual != null ? "Name the key the certificate was made for." : convert);
        }
    }

    /** The DER inside a PKCS#8 PEM key, or null when the text holds none. */
    private static byte[] pkcs8FromPem(String text) {
        int start = text.indexOf(PKCS8_PEM);
        if (start < 0) return null;
        int end = text.indexOf("-----END PRIVATE KEY-----", start);
        if (end < 0) return null;
        return Base64.getMimeDecoder().decode(text.substring(start + PKCS8_PEM.length(), end));
    }

    /** The algorithm a PKCS#8 key is for, found by the key factories that take it; null for none. */
    private static String algorithmOf(byte[] der) {
        for (String alg : new String[]{"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                return alg;
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // the next
            }
        }
        return null;
    }

    /** Whether the key is the certificate's: it signs, and the certificate's public key verifies. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "huddle".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return true; // an algorithm this check does not know: the handshake decides
        }
    }

    private static StoreException refused(PostgresTarget t, String why, String hint) {
        return new StoreException(PgTls.CODE, "cannot use the PostgreSQL store " + t.host() + ":" + t.port() + "/" + t.database() + ": " + why
                + "; nothing was written", hint, null);
    }
}
