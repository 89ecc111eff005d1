package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.TlsCerts;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client certificates beyond ClientCertStoreIT's EC PEM keys (docs/team.md, "Client certificates"), against the same
 * kind of private cluster ({@code hostssl ... cert clientcert=verify-full}): RSA keys (PKCS#8 PEM taken, the older
 * PKCS#1 form refused with its conversion), PKCS#12 files (without a password, under the driver's name "user"; one with
 * a password or another name refused with the commands that export it again, which the test then runs), certificates
 * expired or not yet valid (refused before connecting, and by the server when one is put in place under running hubs),
 * and the files renewed in place while the hubs run (their next connections log in with the new ones, no restart,
 * nothing acknowledged lost). One cluster for the class.
 */
@HubTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClientCertFormsIT extends ClientCertTeams {
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A certificate valid from an hour ago for two days (the test CA's own span). */
    private static TlsCerts.CertAndKey fresh(String name, String role, String keySpec) {
        Instant now = Instant.now();
        return certs.client(name, role, keySpec, OPENSSL_TIME.format(now.minusSeconds(3600)), OPENSSL_TIME.format(now.plusSeconds(2 * 86_400)));
    }

    private static Path chmod600(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Two hubs that join with these URLs (laptop, devbox); alice on the first sends bob on the second a message. */
    private static List<SimulatedAgent> twoHubsMessage(TestHomes homes, String role, String laptopUrl, String devboxUrl, String body) {
        return twoHubsMessage(homes, role, laptopUrl, devboxUrl, body, new ArrayList<>());
    }

    /** As {@link #twoHubsMessage(TestHomes, String, String, String, String)}; the hubs' pids go to {@code hubPids}. */
    private static List<SimulatedAgent> twoHubsMessage(TestHomes homes, String role, String laptopUrl, String devboxUrl, String body,
                                                       List<Long> hubPids) {
        List<TestHome> hubs = new ArrayList<>();
        for (String[] m : new String[][]{{"laptop", laptopUrl}, {"devbox", devboxUrl}}) {
            TestHome h = homes.create();
            TestHome.Result joined = h.cli("team", "join", m[1], "--machine", m[0]);
            System.out.println("[certforms] team join (" + m[0] + "): " + joined.stdout().strip().replace('\n', ' '));
            assertThat(joined.exit()).as(joined.toString()).isZero();
            assertThat(joined.stdout()).contains("logged in with the client certificate").contains("CN=" + role);
            hubs.add(h);
        }
        Path repo = hubs.get(0).newProject("repo");
        SimulatedAgent alice = agent(hubs.get(0), repo, "alice");
        SimulatedAgent bob = agent(hubs.get(1), repo, "bob");
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", body))).containsEntry("ok", true);
        assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly(body);
        hubs.forEach(h -> hubPids.add(h.hubPid().orElseThrow()));
        return List.of(alice, bob);
    }

    /** The client certificates the hubs' connections to {@code database} logged in with ("subject serial"). */
    private static List<String> hubLogins(String database) {
        return server.query("postgres", "SELECT coalesce(s.client_dn, '(none)') || ' ' || coalesce(s.client_serial::text, '-') FROM pg_stat_activity a"
                + " JOIN pg_stat_ssl s USING (pid) WHERE a.datname = '" + database + "' AND a.application_name = 'huddle hub'");
    }

    @Test
    void rsaKeysInPkcs8PemLogInAndTheOlderPkcs1FormIsRefusedWithItsConversion(TestHomes homes) throws Exception {
        String role = team("rsa");
        TlsCerts.CertAndKey laptop = fresh("rsa-laptop", role, "rsa:2048");
        TlsCerts.CertAndKey devbox = fresh("rsa-devbox", role, "rsa:2048");
        assertThat(Files.readString(laptop.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        twoHubsMessage(homes, role, url(role, laptop.cert(), laptop.key()), url(role, devbox.cert(), devbox.key()), "by RSA certificate");
        assertThat(hubLogins(role)).hasSizeGreaterThanOrEqualTo(4).allMatch(l -> l.startsWith("/CN=" + role + " "));
        assertThat(server.query(role, "SELECT body || '@' || machine FROM messages")).containsExactly("by RSA certificate@laptop");

        // PKCS#1 ("BEGIN RSA PRIVATE KEY", openssl's -traditional): the driver reads PKCS#8 only; refused with the command
        Path pkcs1 = certDir.resolve("rsa-pkcs1.key");
        certs.run("rsa", "-in", laptop.key().toString(), "-traditional", "-out", pkcs1.toString());
        chmod600(pkcs1);
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        TestHome h = homes.create();
        TestHome.Result r = refused(h, url(role, laptop.cert(), pkcs1), "BEGIN RSA PRIVATE KEY", "openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
        assertThat(r.stderr()).contains("an RSA key in the older PEM form");
        // the command it gives, run: the converted key logs in
        Path converted = certDir.resolve("rsa-converted.key");
        certs.run("pkcs8", "-topk8", "-nocrypt", "-in", pkcs1.toString(), "-out", converted.toString());
        chmod600(converted);
        TestHome.Result joined = h.cli("team", "join", url(role, laptop.cert(), converted));
        assertThat(joined.exit()).as(joined.toString()).isZero();
    }

    @Test
    void aPkcs12FileWithoutAPasswordLogsInAndOneWithAPasswordOrAnotherNameIsRefusedWithTheCommandsThatExportItAgain(TestHomes homes)
            throws Exception {
        String role = team("p12");
        List<Path> files = new ArrayList<>();
        for (String machine : List.of("laptop", "devbox")) {
            TlsCerts.CertAndKey c = fresh("p12-" + machine, role, machine.equals("laptop") ? "ec" : "rsa:2048");
            Path p12 = certDir.resolve(machine + ".p12");
            certs.run("pkcs12", "-export", "-in", c.cert().toString(), "-inkey", c.key().toString(), "-name", "user", "-passout", "pass:", "-out", p12.toString());
            files.add(chmod600(p12));
        }
        List<Long> hubs = new ArrayList<>();
        twoHubsMessage(homes, role, url(role, null, files.get(0)), url(role, null, files.get(1)), "by PKCS#12", hubs);
        assertThat(hubLogins(role)).hasSizeGreaterThanOrEqualTo(4).allMatch(l -> l.startsWith("/CN=" + role + " "));
        for (long hub : hubs) {
            assertThat(String.join(" ", TestHome.cmdlineOf(hub))).as("no key password on a hub's command line").doesNotContain("sslpassword");
        }

        String other = team("p12_refused");
        TestHome h = homes.create();
        TlsCerts.CertAndKey c = fresh("p12-refused", other, "ec");
        Path withPassword = certDir.resolve("password.p12");
        certs.run("pkcs12", "-export", "-in", c.cert().toString(), "-inkey", c.key().toString(), "-name", "user", "-passout", "pass:secret",
                "-out", withPassword.toString());
        chmod600(withPassword);
        refused(h, url(other, null, withPassword), "is protected by a password, and the hub runs unattended",
                "openssl pkcs12 -in " + withPassword + " -nodes -out key-and-cert.pem");
        Path unnamed = certDir.resolve("unnamed.p12");
        certs.run("pkcs12", "-export", "-in", c.cert().toString(), "-inkey", c.key().toString(), "-passout", "pass:", "-out", unnamed.toString());
        chmod600(unnamed);
        refused(h, url(other, null, unnamed), "holds no key and certificate under the name \"user\"", "-name user -passout pass:");
        Path open = Files.copy(files.get(0), certDir.resolve("open.p12"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        refused(h, url(other, null, open), "can be read by others", "chmod 600 " + open);
        assertThat(server.query(other, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing written").containsExactly("0");

        // the commands the refusal gives, run (openssl asks for the old password; here it is given): the new file logs in
        Path pem = certDir.resolve("key-and-cert.pem");
        certs.run("pkcs12", "-in", withPassword.toString(), "-passin", "pass:secret", "-nodes", "-out", pem.toString());
        Path exported = certDir.resolve("exported.p12");
        certs.run("pkcs12", "-export", "-in", pem.toString(), "-name", "user", "-passout", "pass:", "-out", exported.toString());
        chmod600(exported);
        TestHome.Result joined = h.cli("team", "join", url(other, null, exported));
        assertThat(joined.exit()).as(joined.toString()).isZero();
        assertThat(joined.stdout()).contains("logged in with the client certificate " + exported);
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefusedBeforeConnectingNamingItsDatesAndDoctorSaysSo(TestHomes homes) throws Exception {
        String role = team("dates");
        TlsCerts.CertAndKey expired = certs.client("expired", role, "ec", "20200101000000Z", "20210101000000Z");
        TlsCerts.CertAndKey early = certs.client("early", role, "rsa:2048", "20400101000000Z", "20410101000000Z");
        TestHome h = homes.create();
        refused(h, url(role, expired.cert(), expired.key()), "expired on 2021-01-01T00:00:00Z", "for a certificate valid now");
        TestHome.Result r = refused(h, url(role, early.cert(), early.key()), "is not valid until 2040-01-01T00:00:00Z", "date -u");
        assertThat(r.stderr()).contains("this machine's clock says");
        Path p12 = certDir.resolve("expired.p12");
        certs.run("pkcs12", "-export", "-in", expired.cert().toString(), "-inkey", expired.key().toString(), "-name", "user", "-passout", "pass:",
                "-out", p12.toString());
        chmod600(p12);
        refused(h, url(role, null, p12), "the client certificate sslkey=" + p12 + " (CN=" + role + ") expired on 2021-01-01", "valid now");

        // doctor, with it configured, says so on its store tls line; a hub refuses to start on it (exit 3)
        TestHome d = homes.create();
        Files.createDirectories(d.paths().config().getParent());
        Files.writeString(d.paths().config(), "{\"store_url\": \"" + url(role, expired.cert(), expired.key()) + "\"}\n");
        Map<String, Object> tls = d.cli(d.newProject("repo"), "doctor", "--json").doctorCheck("store tls");
        System.out.println("[certforms] doctor: " + tls);
        assertThat(tls).containsEntry("status", "fail");
        assertThat(String.valueOf(tls.get("detail"))).contains("expired on 2021-01-01T00:00:00Z");
        TestHome.Result hub = homes.create().withEnv("HUDDLE_STORE_URL", url(role, early.cert(), early.key())).cli("hub", "run");
        assertThat(hub.exit()).as(hub.toString()).isEqualTo(3);
        assertThat(hub.stderr()).contains("is not valid until 2040-01-01");
        assertThat(server.query(role, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing written").containsExactly("0");
    }

    @Test
    void certificateAndKeyRenewedInPlaceWhileHubsRunAreUsedByTheirNextConnectionsAndAnExpiredOneIsRefusedByTheServerClearly(TestHomes homes)
            throws Exception {
        String role = team("renew");
        Path dir = Files.createDirectories(certDir.resolve("renew"));
        Path certFile = dir.resolve("huddle.crt");
        Path keyFile = dir.resolve("huddle.key");
        TlsCerts.CertAndKey first = fresh("renew-first", role, "ec");
        putInPlace(first, certFile, keyFile);
        String url = url(role, certFile, keyFile);
        List<SimulatedAgent> agents = twoHubsMessage(homes, role, url, url, "with the first certificate");
        SimulatedAgent alice = agents.get(0);
        SimulatedAgent bob = agents.get(1);
        List<String> acked = new ArrayList<>(List.of("with the first certificate"));
        List<String> refused = new ArrayList<>();
        List<String> delivered = new ArrayList<>(acked);
        String firstLogin = "/CN=" + role + " " + serial(first.cert());
        assertThat(hubLogins(role)).allMatch(firstLogin::equals);

        // an expired pair put in place (or the first one expiring): the server refuses the new connections, and says why
        TlsCerts.CertAndKey expired = certs.client("renew-expired", role, "ec", "20200101000000Z", "20210101000000Z");
        putInPlace(expired, certFile, keyFile);
        dropHubConnections(role);
        await("alice told that the client certificate expired").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !send(alice, "while expired " + refused.size(), acked, refused) && refused.getLast().startsWith("store-tls"));
        System.out.println("[certforms] with an expired certificate in place: " + refused.getLast());
        assertThat(refused.getLast()).contains("expired on 2021-01-01T00:00:00Z").contains("nothing was written");

        // one not valid yet (a clock behind, or issued for later): refused the same way, with its date
        TlsCerts.CertAndKey early = certs.client("renew-early", role, "ec", "20400101000000Z", "20410101000000Z");
        putInPlace(early, certFile, keyFile);
        await("alice told that the client certificate is not valid yet").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !send(alice, "while early " + refused.size(), acked, refused) && refused.getLast().contains("is not valid until"));
        System.out.println("[certforms] with a certificate not valid yet in place: " + refused.getLast());
        assertThat(refused.getLast()).startsWith("store-tls").contains("is not valid until 2040-01-01T00:00:00Z").contains("nothing was written");

        // a freshly issued pair (another key, another algorithm) in place: the next connections use it, no restart
        TlsCerts.CertAndKey renewed = fresh("renew-second", role, "rsa:2048");
        putInPlace(renewed, certFile, keyFile);
        await("a message with the renewed certificate").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(alice, "renewed " + acked.size(), acked, refused));
        dropHubConnections(role); // what a connection made before the renewal held is gone too
        await("a message after every connection is new").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(alice, "renewed " + acked.size(), acked, refused));
        await("every acknowledged message delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            messages(bob.call("read_my_messages", Map.of())).forEach(m -> delivered.add(String.valueOf(m.get("body"))));
            return delivered.containsAll(acked);
        });
        List<String> logins = hubLogins(role);
        System.out.println("[certforms] after the renewal, the hubs' logins: " + logins);
        assertThat(logins).hasSizeGreaterThanOrEqualTo(2).containsOnly("/CN=" + role + " " + serial(renewed.cert()));
        List<String> stored = server.query(role, "SELECT body FROM messages ORDER BY seq");
        System.out.println("[certforms] sent " + (acked.size() + refused.size()) + ", acknowledged " + acked.size() + ", refused " + refused.size()
                + ", stored " + stored.size() + ", delivered " + delivered.size());
        assertThat(delivered).as("each acknowledged message delivered once").containsExactlyInAnyOrderElementsOf(acked);
        assertThat(stored).as("each acknowledged message stored once, nothing refused stored").containsExactlyInAnyOrderElementsOf(acked);
        assertThat(refused).allMatch(r -> r.startsWith("store-tls") || r.startsWith("store-degraded"));
    }

    /** Moves a new pair over the files (each a rename, so no connection reads half a file); the key first stays 0600. */
    private static void putInPlace(TlsCerts.CertAndKey pair, Path certFile, Path keyFile) throws Exception {
        Path stagedKey = chmod600(Files.copy(pair.key(), keyFile.resolveSibling(".staged.key"), StandardCopyOption.REPLACE_EXISTING));
        Path stagedCert = Files.copy(pair.cert(), certFile.resolveSibling(".staged.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(stagedKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(stagedCert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String serial(Path cert) throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber().toString();
        }
    }

    private static void dropHubConnections(String database) {
        server.query("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND application_name = 'huddle hub'");
    }

    private static TestHome.Result refused(TestHome h, String url, String says, String nextStep) {
        TestHome.Result r = h.cli("team", "join", url);
        System.out.println("[certforms] refused: " + r.stderr().strip().replace('\n', ' '));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains(says).contains("nothing was written").contains(nextStep)
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SEVERE");
        return r;
    }
}
