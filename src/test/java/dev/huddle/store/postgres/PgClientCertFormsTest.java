package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client key formats and certificate dates checked before connecting, on files openssl makes (ClientCertFormsIT: the
 * same against a real server): PKCS#12 without a password taken, with one or under another name refused; PKCS#1 RSA
 * refused with its conversion; a certificate expired or not yet valid refused with its dates, also when the server's
 * refusal (a bare TLS alert) is what arrives.
 */
class PgClientCertFormsTest {
    @TempDir
    static Path dir;
    private static TlsCerts certs;
    private static TlsCerts.CertAndKey rsa;
    private static TlsCerts.CertAndKey expired;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(dir);
        rsa = certs.client("rsa", "huddle_laptop", "rsa:2048", "20200101000000Z", "20991231000000Z");
        expired = certs.client("expired", "huddle_laptop", "ec", "20200101000000Z", "20210101000000Z");
    }

    private static PostgresTarget target(String query) {
        return PostgresTarget.parse("postgresql://huddle_laptop@db.example.com/team?sslmode=verify-full&" + query);
    }

    private static Path p12(String name, String... exportArgs) throws Exception {
        Path file = dir.resolve(name);
        String[] args = new String[exportArgs.length + 8];
        System.arraycopy(new String[]{"pkcs12", "-export", "-in", rsa.cert().toString(), "-inkey", rsa.key().toString(), "-out", file.toString()}, 0, args, 0, 8);
        System.arraycopy(exportArgs, 0, args, 8, exportArgs.length);
        certs.run(args);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static StoreException refusedBy(PostgresTarget t) {
        try {
            PgClientCert.check(t);
        } catch (StoreException e) {
            assertThat(e.code()).isEqualTo(PgTls.CODE);
            assertThat(e.getMessage()).contains("nothing was written");
            return e;
        }
        throw new AssertionError("not refused: " + t);
    }

    @Test
    void aPkcs12FileWithoutAPasswordUnderUserIsTakenAndTheDriverGivenTheEmptyPassword() throws Exception {
        PostgresTarget t = target("sslkey=" + p12("good.p12", "-name", "user", "-passout", "pass:"));
        PgClientCert.check(t);
        Properties p = new Properties();
        PgPkcs12.driverProperties(t, p);
        assertThat(p).containsEntry("sslpassword", "");
        PgPkcs12.driverProperties(target("sslcert=/c.crt&sslkey=/c.key"), p = new Properties());
        assertThat(p).as("a PEM key needs none").isEmpty();
    }

    @Test
    void aPkcs12FileWithAPasswordOrUnderAnotherNameIsRefusedWithTheCommandsThatExportItAgain() throws Exception {
        Path withPassword = p12("password.p12", "-name", "user", "-passout", "pass:secret");
        StoreException e = refusedBy(target("sslkey=" + withPassword));
        assertThat(e.getMessage()).contains("is protected by a password, and the hub runs unattended");
        assertThat(e.hint()).contains("openssl pkcs12 -in " + withPassword + " -nodes -out key-and-cert.pem")
                .contains("openssl pkcs12 -export -in key-and-cert.pem -name user -passout pass: -out <new .p12>");
        assertThat(refusedBy(target("sslkey=" + p12("unnamed.pfx", "-passout", "pass:"))).getMessage())
                .contains("holds no key and certificate under the name \"user\"").contains("(its names: [1])");
        Path notOne = Files.writeString(dir.resolve("text.p12"), "not a key store");
        Files.setPosixFilePermissions(notOne, PosixFilePermissions.fromString("rw-------"));
        assertThat(refusedBy(target("sslkey=" + notOne)).getMessage()).contains("is not a PKCS#12 file huddle can read");
    }

    @Test
    void anRsaKeyIsTakenAsPkcs8PemAndRefusedInThePkcs1FormWithItsConversion() {
        PgClientCert.check(target("sslcert=" + rsa.cert() + "&sslkey=" + rsa.key()));
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=" + rsa.key()))).isEqualTo("RSA");
        Path pkcs1 = dir.resolve("pkcs1.key");
        certs.run("rsa", "-in", rsa.key().toString(), "-traditional", "-out", pkcs1.toString());
        StoreException e = refusedBy(target("sslcert=" + rsa.cert() + "&sslkey=" + pkcs1));
        assertThat(e.getMessage()).contains("an RSA key in the older PEM form (\"BEGIN RSA PRIVATE KEY\")");
        assertThat(e.hint()).contains("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void aCertificateOutsideItsValidityIsRefusedWithItsDatesBeforeConnecting() throws Exception {
        StoreException e = refusedBy(target("sslcert=" + expired.cert() + "&sslkey=" + expired.key()));
        assertThat(e.getMessage()).contains("expired on 2021-01-01T00:00:00Z (valid from 2020-01-01T00:00:00Z)");
        assertThat(e.hint()).contains("valid now").contains("no restart");
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(rsa.cert())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(PgClientCert.outsideValidity(cert, Instant.parse("2050-01-01T00:00:00Z"))).isNull();
        assertThat(PgClientCert.outsideValidity(cert, Instant.parse("2019-06-01T00:00:00Z")))
                .startsWith("is not valid until 2020-01-01T00:00:00Z (this machine's clock says 2019-06-01T00:00:00Z)");
    }

    @Test
    void theServersRefusalOfAnExpiredCertificateIsToldWithItsDatesAndOneValidHereAsAClockToCompare() {
        SQLException alert = new SQLException("The connection attempt failed.", "08001",
                new SSLHandshakeException("(certificate_expired) Received fatal alert: certificate_expired"));
        StoreException e = PgTls.refusal("cannot open", target("sslcert=" + expired.cert() + "&sslkey=" + expired.key()), alert);
        assertThat(e.code()).isEqualTo(PgTls.CODE);
        assertThat(e.getMessage()).contains("refused the login: the client certificate " + expired.cert()).contains("expired on 2021-01-01")
                .contains("nothing was written");
        StoreException pipe = PgTls.refusal("cannot open", target("sslcert=" + expired.cert() + "&sslkey=" + expired.key()),
                new SQLException("SSL error: Broken pipe", "08006", new java.net.SocketException("Broken pipe")));
        assertThat(pipe.getMessage()).as("the server may just close the connection").contains("expired on 2021-01-01");
        assertThat(PgTls.refusal("cannot open", target("sslcert=" + expired.cert() + "&sslkey=" + expired.key()), new SQLException(
                "Connection to db.example.com:5432 refused.", "08001", new java.net.ConnectException("Connection refused"))))
                .as("a server that is not there is not told as a refusal of the certificate").isNull();
        StoreException skew = PgTls.refusal("cannot open", target("sslcert=" + rsa.cert() + "&sslkey=" + rsa.key()), alert);
        assertThat(skew.hint()).contains("compare the two clocks");
    }
}
