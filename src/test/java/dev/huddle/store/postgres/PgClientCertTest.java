package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A client certificate's files checked before connecting, and a PEM key's algorithm told to the driver (ClientCertStoreIT: against a real server). */
class PgClientCertTest {
    private static PostgresTarget target(String query) {
        return PostgresTarget.parse("postgresql://huddle_laptop@db.example.com/team?sslmode=verify-full&" + query);
    }

    private static Path pem(Path dir, String name, String algorithm) throws Exception {
        byte[] der = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate().getEncoded(); // PKCS#8
        Path key = dir.resolve(name);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    @Test
    void aPemKeysAlgorithmIsReadFromTheKeyForTheDriverWhichAssumesRsa(@TempDir Path tmp) throws Exception {
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=" + pem(tmp, "ec.key", "EC")))).isEqualTo("EC");
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=" + pem(tmp, "rsa.key", "RSA")))).isEqualTo("RSA");
        Path der = Files.write(tmp.resolve("k.pk8"), KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded());
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=" + der))).as("DER: the driver reads it itself").isNull();
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=" + tmp.resolve("gone.key")))).as("the driver then says it is missing").isNull();
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslkey=/k.p12"))).isNull();
        assertThat(PgClientCert.pemKeyAlgorithm(target("sslmode=require"))).isNull();
    }

    @Test
    void aKeyOthersCanReadOrACertificateWithoutItsKeyIsRefusedBeforeConnecting(@TempDir Path tmp) throws Exception {
        Path cert = Files.writeString(tmp.resolve("c.crt"), "not checked before the key's permissions");
        Path key = pem(tmp, "open.key", "EC");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> PgClientCert.check(target("sslcert=" + cert + "&sslkey=" + key))).isInstanceOf(StoreException.class)
                .hasMessageContaining("can be read by others (rw-r--r--)").hasMessageContaining("nothing was written")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("chmod 600 " + key))
                .extracting(e -> ((StoreException) e).code()).isEqualTo(PgTls.CODE);
        assertThatThrownBy(() -> PgClientCert.check(target("sslcert=" + cert))).hasMessageContaining("not its key (sslkey)");
        assertThatThrownBy(() -> PgClientCert.check(target("sslkey=" + key))).hasMessageContaining("not its client certificate (sslcert)");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> PgClientCert.check(target("sslcert=" + cert + "&sslkey=" + key))).hasMessageContaining("does not hold a certificate");
        PgClientCert.check(target("sslmode=require")); // no client certificate: nothing to check
    }
}
