package dev.huddle.store.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates made with {@code openssl} for a test server with TLS on: a CA, a server certificate it signs
 * (subjectAltName DNS:localhost and IP:127.0.0.1, so 127.0.0.2 is a name it does not hold), and a second, unrelated CA
 * (a client trusting only that one must refuse the server). EC P-256 keys: quick to make. It also issues client
 * certificates for a database role ({@link #client}) and new server certificates for a rotation ({@link #reissueServer}).
 *
 * @param ca         the CA's certificate (PEM): what a client's sslrootcert names
 * @param serverCert the server's certificate (PEM), signed by {@code ca}
 * @param serverKey  its key (PEM, 0600)
 * @param otherCa    another CA's certificate, which signed nothing the server holds
 */
public record TlsCerts(Path ca, Path serverCert, Path serverKey, Path otherCa) {
    public static TlsCerts make(Path dir) {
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path other = dir.resolve("other-ca.pem");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path ext = dir.resolve("server.ext");
        try {
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                    + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey.toString(),
                    "-out", ca.toString(), "-days", "2", "-subj", "/CN=huddle test CA");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    dir.resolve("other-ca.key").toString(), "-out", other.toString(), "-days", "2", "-subj", "/CN=another test CA");
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                    "-out", csr.toString(), "-subj", "/CN=localhost");
            openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                    "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test certificates with openssl: " + e.getMessage(), e);
        }
        return new TlsCerts(ca, cert, key, other);
    }

    /**
     * A client certificate for {@code cn} (a database role), signed by the test CA or, with {@code byOtherCa}, by the
     * other one; its key as openssl writes it (PKCS#8 PEM, "BEGIN PRIVATE KEY"), 0600.
     */
    public CertAndKey client(String name, String cn, boolean byOtherCa) {
        Path dir = ca.getParent();
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                    "-out", csr.toString(), "-subj", "/CN=" + cn);
            sign(dir, csr, cert, ext, byOtherCa);
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a client certificate with openssl: " + e.getMessage(), e);
        }
        return new CertAndKey(cert, key);
    }

    /**
     * A client certificate for {@code cn} signed by the test CA, valid from {@code notBefore} to {@code notAfter}
     * (openssl's {@code YYYYMMDDHHMMSSZ}; {@code openssl ca}, since the x509 command of openssl 3.0 cannot set them), with
     * a key of {@code keySpec} ({@code rsa:2048}, or {@code ec} for P-256), PKCS#8 PEM as openssl 3 writes it, 0600.
     */
    public CertAndKey client(String name, String cn, String keySpec, String notBefore, String notAfter) {
        Path dir = ca.getParent();
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Path conf = dir.resolve("ca.cnf");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
            if (!Files.exists(conf)) {
                Files.writeString(conf, "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = issued\nserial = ca.serial\n"
                        + "default_md = sha256\nunique_subject = no\npolicy = any\n[any]\ncommonName = supplied\n");
                Files.writeString(dir.resolve("index.txt"), "");
                Files.writeString(dir.resolve("ca.serial"), "1000\n");
                Files.createDirectories(dir.resolve("issued"));
            }
            List<String> newKey = keySpec.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1") : List.of("-newkey", keySpec);
            List<String> req = new ArrayList<>(List.of("req"));
            req.addAll(newKey);
            req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn));
            openssl(dir, req.toArray(String[]::new));
            openssl(dir, "ca", "-batch", "-config", conf.toString(), "-cert", ca.toString(), "-keyfile", dir.resolve("ca.key").toString(),
                    "-in", csr.toString(), "-out", cert.toString(), "-startdate", notBefore, "-enddate", notAfter, "-extfile", ext.toString(), "-notext");
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a client certificate with openssl: " + e.getMessage(), e);
        }
        return new CertAndKey(cert, key);
    }

    /** A new server certificate and key for localhost and 127.0.0.1, signed by the test CA or by the other one. */
    public CertAndKey reissueServer(String name, boolean byOtherCa) {
        Path dir = ca.getParent();
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        try {
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                    "-out", csr.toString(), "-subj", "/CN=localhost");
            sign(dir, csr, cert, dir.resolve("server.ext"), byOtherCa);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a server certificate with openssl: " + e.getMessage(), e);
        }
        return new CertAndKey(cert, key);
    }

    /** Runs openssl with these arguments in the certificates' directory (for a test's own conversions). */
    public void run(String... args) {
        try {
            openssl(ca.getParent(), args);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void sign(Path dir, Path csr, Path cert, Path ext, boolean byOtherCa) throws IOException {
        Path signer = byOtherCa ? otherCa : ca;
        Path signerKey = dir.resolve(byOtherCa ? "other-ca.key" : "ca.key");
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", signer.toString(), "-CAkey", signerKey.toString(), "-CAcreateserial",
                "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    /** A certificate and its key (PEM; the key 0600). */
    public record CertAndKey(Path cert, Path key) {}

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
