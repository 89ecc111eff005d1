package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The URL's TLS files resolved as a hub reads them, and the driver's TLS failures told as what to do (TlsStoreIT: against a real server). */
class PgTlsTest {
    private static PostgresTarget target(String query) {
        return PostgresTarget.parse("postgresql://huddle@db.example.com/team?" + query);
    }

    @Test
    void filesResolveFromTheHomeAndAHubRefusesARelativeOne() {
        Path home = Path.of("/home/ann");
        assertThat(PgTls.resolve(target("sslmode=verify-full&sslrootcert=~/certs/ca.pem"), home, null).params())
                .containsEntry("sslrootcert", "/home/ann/certs/ca.pem");
        assertThat(PgTls.resolve(target("sslmode=verify-full"), home, null).params()).as("libpq's default, from the same home")
                .containsEntry("sslrootcert", "/home/ann/.postgresql/root.crt");
        assertThat(PgTls.resolve(target("sslmode=require"), home, null).params()).doesNotContainKey("sslrootcert");
        assertThat(PgTls.resolve(target("sslmode=verify-full&sslrootcert=system"), home, null).params()).as("the Java runtime's CAs")
                .doesNotContainKey("sslrootcert").containsEntry("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        assertThat(PgTls.resolve(target("sslmode=verify-full&sslrootcert=certs/../ca.pem"), home, Path.of("/work")).params())
                .as("team join writes it out in full").containsEntry("sslrootcert", "/work/ca.pem");
        assertThatThrownBy(() -> PgTls.resolve(target("sslmode=verify-full&sslrootcert=ca.pem"), home, null))
                .isInstanceOf(StoreException.class).hasMessageContaining("sslrootcert=ca.pem is a relative path")
                .extracting(e -> ((StoreException) e).code()).isEqualTo("store-tls");
    }

    @Test
    void aPathWithQuerySyntaxInItSurvivesTheConfigFile() {
        PostgresTarget t = PgTls.resolve(target("sslmode=verify-full&sslrootcert=%2Ftmp%2Fa%26b%2Bc%20d.pem"), Path.of("/h"), null);
        assertThat(t.params()).containsEntry("sslrootcert", "/tmp/a&b+c d.pem");
        assertThat(PostgresTarget.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void aMissingCaFileIsRefusedBeforeConnectingNamingTheNextStep(@TempDir Path tmp) throws Exception {
        PostgresTarget implicit = PgTls.resolve(target("sslmode=verify-full"), tmp, null);
        assertThatThrownBy(() -> PgTls.checkFiles(implicit)).isInstanceOf(StoreException.class)
                .hasMessageContaining("none is named").hasMessageContaining(tmp.resolve(".postgresql/root.crt").toString())
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("sslrootcert=<its path>"));
        Path ca = Files.writeString(tmp.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        PgTls.checkFiles(PgTls.resolve(target("sslmode=verify-full&sslrootcert=" + ca), tmp, null));
        PgTls.checkFiles(PgTls.resolve(target("sslmode=prefer&sslrootcert=/nowhere.pem"), tmp, null)); // not checked: the driver ignores it
    }

    @Test
    void theDriversTlsFailuresAreToldAsWhatIsWrong() {
        PostgresTarget t = PgTls.resolve(target("sslmode=verify-full&sslrootcert=/etc/ca.pem"), Path.of("/h"), null);
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        StoreException untrusted = PgTls.refusal("cannot open", t, new SQLException("SSL error: PKIX path building failed", "08006", handshake));
        assertThat(untrusted.code()).isEqualTo("store-tls");
        assertThat(untrusted.getMessage()).contains("the server's certificate at db.example.com:5432/team is not signed by the CA certificate in"
                + " sslrootcert=/etc/ca.pem").contains("unable to find valid certification path").doesNotContain("Exception");
        assertThat(untrusted.hint()).contains("openssl s_client");

        StoreException name = PgTls.refusal("cannot open", t, new SQLException(
                "The hostname db.example.com could not be verified by hostnameverifier PgjdbcHostnameVerifier.", "08006"));
        assertThat(name.getMessage()).contains("does not name the host db.example.com");
        assertThat(name.hint()).contains("subjectAltName").contains("verify-ca");

        StoreException plain = PgTls.refusal("cannot open", target("sslmode=disable"), new SQLException(
                "FATAL: no pg_hba.conf entry for host \"10.0.0.5\", user \"huddle\", database \"team\", no encryption", "28000"));
        assertThat(plain.getMessage()).contains("accepts only encrypted (TLS) connections").contains("sslmode=disable");
        assertThat(PgTls.refusal("x", t, new SQLException("FATAL: password authentication failed for user \"huddle\"", "28P01")))
                .as("a refused password is not TLS's").isNull();
        assertThat(PgTls.refusal("x", t, new SQLException("Connection refused", "08001"))).isNull();
    }

    @Test
    void theServersRefusalsOfAClientCertificateAreToldWithTheirNextStep() {
        PostgresTarget withCert = PgTls.resolve(target("sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/etc/laptop.crt&sslkey=/etc/laptop.key"),
                Path.of("/h"), null);
        StoreException cn = PgTls.refusal("cannot open", withCert, new SQLException("FATAL: certificate authentication failed for user \"huddle\"", "28000"));
        assertThat(cn.code()).isEqualTo("store-tls");
        assertThat(cn.getMessage()).contains("did not take the client certificate /etc/laptop.crt for role huddle").contains("CN must be the role's name");
        assertThat(cn.hint()).contains("openssl x509 -in /etc/laptop.crt -noout -subject").contains("whose CN is huddle");
        StoreException untrusted = PgTls.refusal("cannot open", withCert, new SQLException("FATAL: connection requires a valid client certificate", "28000"));
        assertThat(untrusted.getMessage()).contains("not signed by a CA the server trusts");
        assertThat(untrusted.hint()).contains("-issuer");
        StoreException none = PgTls.refusal("cannot open", PgTls.resolve(target("sslmode=verify-full&sslrootcert=/etc/ca.pem"), Path.of("/h"), null),
                new SQLException("FATAL: connection requires a valid client certificate", "28000"));
        assertThat(none.getMessage()).contains("only with a client certificate, and the URL names none");
        assertThat(none.hint()).contains("sslcert=");
    }
}
