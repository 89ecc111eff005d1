package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.TlsCerts;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shared store whose hubs log in with client certificates and no password (docs/team.md, "Client certificates"):
 * the server takes the team's role only by a certificate the test CA signed whose CN is the role
 * ({@code hostssl ... cert clientcert=verify-full}, {@code ssl_ca_file}). Two hubs with {@code sslcert}/{@code sslkey}
 * (PEM, under {@code ~/}) message and ask across; what is refused before or by the server, each naming the problem
 * and the next step and writing nothing; and the server's certificate changing under running hubs ({@code pg_ctl
 * reload}): to one from the same CA (new connections verify it, nothing lost), to one from another CA (new connections
 * fail with store-tls, nothing acknowledged lost) and back. One cluster for the class.
 */
@HubTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClientCertStoreIT extends ClientCertTeams {

    /** {@code from} asks {@code to}, which replies as soon as the question arrives; returns the ask's result. */
    private static Map<String, Object> askAcross(SimulatedAgent from, SimulatedAgent to, String body) throws Exception {
        return askAcross(from, to, body, new ArrayList<>());
    }

    /** As {@link #askAcross(SimulatedAgent, SimulatedAgent, String)}; the other messages {@code to} reads meanwhile go to {@code others}. */
    private static Map<String, Object> askAcross(SimulatedAgent from, SimulatedAgent to, String body, List<String> others) throws Exception {
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                from.call("ask_peer", Map.of("target", "bob", "body", body, "timeout_ms", 25_000)));
        Map<String, Object> question = await("the question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Map<String, Object> found = null;
                    for (Map<String, Object> m : messages(to.call("read_my_messages", Map.of()))) {
                        if (body.equals(m.get("body"))) found = m;
                        else others.add(String.valueOf(m.get("body")));
                    }
                    return found;
                }, Objects::nonNull);
        assertThat(to.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "re " + body))).containsEntry("ok", true);
        return ask.get(30, TimeUnit.SECONDS);
    }

    @Test
    void twoHubsLogInWithPemClientCertificatesUnderHomeAndNoPasswordAndMessageAndAskAcross(TestHomes homes) throws Exception {
        String role = team("cert");
        List<TestHome> hubs = new ArrayList<>();
        for (String machine : List.of("laptop", "devbox")) {
            TestHome h = homes.create().withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
            Path home = h.newDir("user-home");
            Path dir = Files.createDirectories(home.resolve(".postgresql"));
            TlsCerts.CertAndKey c = certs.client(machine, role, false);
            Files.copy(c.cert(), dir.resolve("huddle.crt"));
            Path key = Files.copy(c.key(), dir.resolve("huddle.key"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            h.withEnv("HOME", home.toString());
            TestHome.Result joined = h.cli("team", "join", url(role, "~/.postgresql/huddle.crt", "~/.postgresql/huddle.key"), "--machine", machine);
            System.out.println("[clientcert] team join (" + machine + "):\n" + joined.stdout() + joined.stderr());
            assertThat(joined.exit()).as(joined.toString()).isZero();
            assertThat(joined.stdout()).contains("verified: the server's certificate is signed by the CA in " + certs.ca())
                    .contains("logged in with the client certificate " + dir.resolve("huddle.crt") + " (").contains("CN=" + role);
            assertThat(Files.readString(h.paths().config())).contains("sslkey=" + key).doesNotContain("~/");
            hubs.add(h);
        }
        TestHome laptop = hubs.get(0);
        TestHome devbox = hubs.get(1);
        Path repo = laptop.newProject("repo");
        SimulatedAgent alice = agent(laptop, repo, "alice");
        SimulatedAgent bob = agent(devbox, repo, "bob");
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "by certificate"))).containsEntry("ok", true);
        assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly("by certificate");
        Map<String, Object> answered = askAcross(alice, bob, "no password?");
        assertThat(answered).as(answered.toString()).containsEntry("timed_out", false);
        assertThat(server.query(role, "SELECT body || '@' || machine FROM messages ORDER BY seq"))
                .containsExactly("by certificate@laptop", "no password?@laptop", "re no password?@devbox");
        // every connection of both hubs logged in with a certificate for the role
        List<String> dns = server.query("postgres", "SELECT coalesce(s.client_dn, '(none)') FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
                + " WHERE a.datname = '" + role + "' AND a.application_name = 'huddle hub'");
        System.out.println("[clientcert] the hubs' connections' client certificates: " + dns);
        assertThat(dns).hasSizeGreaterThanOrEqualTo(4).allMatch(dn -> dn.equals("/CN=" + role));

        Map<String, Object> tls = laptop.cli(repo, "doctor", "--json").doctorCheck("store tls");
        System.out.println("[clientcert] doctor: " + tls);
        assertThat(tls).containsEntry("status", "ok");
        assertThat(String.valueOf(tls.get("detail"))).contains("verified").contains("logged in with the client certificate").contains("CN=" + role);
    }

    @Test
    void keysAndCertificatesThatCannotBeUsedAreRefusedClearlyBeforeOrByTheServerWritingNothing(TestHomes homes) throws Exception {
        String role = team("refused");
        TlsCerts.CertAndKey good = certs.client("good", role, false);
        TestHome h = homes.create();
        Path config = h.paths().config();
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"ask_max_timeout_ms\": 30000}\n");
        String before = Files.readString(config);

        // a key others can read: refused before connecting, as libpq refuses it
        Path open = Files.copy(good.key(), certDir.resolve("open.key"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        refused(h, url(role, good.cert().toString(), open.toString()), "can be read by others", "chmod 600 " + open);
        // a key that is not there
        refused(h, url(role, good.cert().toString(), certDir.resolve("gone.key").toString()), "sslkey=" + certDir.resolve("gone.key") + " does not exist",
                "Check the path");
        // a certificate without its key
        refused(h, url(role, good.cert().toString(), null), "not its key (sslkey)", "sslkey=");
        // an EC key in the older PEM form: refused with the command that converts it
        Path sec1 = certDir.resolve("sec1.key");
        certs.run("ec", "-in", good.key().toString(), "-out", sec1.toString());
        Files.setPosixFilePermissions(sec1, PosixFilePermissions.fromString("rw-------"));
        refused(h, url(role, good.cert().toString(), sec1.toString()), "BEGIN EC PRIVATE KEY", "openssl pkcs8 -topk8 -nocrypt -in " + sec1);
        // a key encrypted with a passphrase: the hub runs unattended
        Path encrypted = certDir.resolve("encrypted.key");
        certs.run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:secret", "-in", good.key().toString(), "-out", encrypted.toString());
        Files.setPosixFilePermissions(encrypted, PosixFilePermissions.fromString("rw-------"));
        refused(h, url(role, good.cert().toString(), encrypted.toString()), "is encrypted with a passphrase", "openssl pkey -in " + encrypted);
        // another certificate's key
        TlsCerts.CertAndKey other = certs.client("other", role, false);
        refused(h, url(role, good.cert().toString(), other.key().toString()), "is not the key of the certificate", "openssl pkey");
        // the server's refusals: a certificate from a CA it does not trust, one for another role, none at all
        TlsCerts.CertAndKey untrusted = certs.client("untrusted", role, true);
        refused(h, url(role, untrusted.cert().toString(), untrusted.key().toString()), "is not signed by a CA the server trusts", "-issuer");
        TlsCerts.CertAndKey someoneElse = certs.client("someone", "someone_else", false);
        refused(h, url(role, someoneElse.cert().toString(), someoneElse.key().toString()), "the certificate's CN must be the role's name",
                "whose CN is " + role);
        refused(h, url(role, null, null), "takes role " + role + " only with a client certificate, and the URL names none", "sslcert=");
        // a hub refuses to start on it the same way (exit 3), and makes no local database instead
        TestHome.Result hub = homes.create().withEnv("HUDDLE_STORE_URL", url(role, someoneElse.cert().toString(), someoneElse.key().toString()))
                .cli("hub", "run");
        assertThat(hub.exit()).as(hub.toString()).isEqualTo(3);
        assertThat(hub.stderr()).contains("refusing to start").contains("CN must be the role's name");
        assertThat(Files.readString(config)).as("nothing written").isEqualTo(before);
        assertThat(server.query(role, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing written").containsExactly("0");

        // the same key as PKCS#8 DER (.pk8), the driver's own format, is taken as it is
        Path pk8 = certDir.resolve("good.pk8");
        certs.run("pkcs8", "-topk8", "-nocrypt", "-in", good.key().toString(), "-outform", "DER", "-out", pk8.toString());
        Files.setPosixFilePermissions(pk8, PosixFilePermissions.fromString("rw-------"));
        TestHome.Result der = h.cli("team", "join", url(role, good.cert().toString(), pk8.toString()));
        assertThat(der.exit()).as(der.toString()).isZero();
        assertThat(der.stdout()).contains("logged in with the client certificate " + good.cert());
    }

    @Test
    void aServerCertificateReplacedWhileHubsRunIsVerifiedByTheirNewConnectionsAndOneFromAnotherCaIsRefusedUntilAGoodOneIsBack(TestHomes homes)
            throws Exception {
        String role = team("rotate");
        TlsCerts.CertAndKey login = certs.client("rotate", role, false);
        String url = url(role, login.cert().toString(), login.key().toString());
        List<TestHome> hubs = new ArrayList<>();
        for (String machine : List.of("laptop", "devbox")) {
            TestHome h = homes.create().withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
            assertThat(h.cli("team", "join", url, "--machine", machine).exit()).isZero();
            hubs.add(h);
        }
        Path repo = hubs.get(0).newProject("repo");
        SimulatedAgent alice = agent(hubs.get(0), repo, "alice");
        SimulatedAgent bob = agent(hubs.get(1), repo, "bob");
        List<String> acked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        send(alice, "before the renewal", acked, refused);
        assertThat(acked).containsExactly("before the renewal");

        // renewed by the same CA, reloaded: the running hubs' new connections verify the new certificate
        TlsCerts.CertAndKey renewed = certs.reissueServer("server-renewed", false);
        server.replaceServerCertificate(renewed.cert(), renewed.key());
        assertThat(presented()).as("the server presents the renewed certificate after the reload").isEqualTo(pem(renewed.cert()));
        List<String> oldBackends = dropHubConnections(role);
        await("a message after the renewal").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(alice, "after the renewal " + acked.size(), acked, refused));
        assertThat(askAcross(alice, bob, "renewed?", delivered)).containsEntry("timed_out", false);
        List<String> now = hubBackends(role);
        System.out.println("[clientcert] after the renewal: " + acked.size() + " acknowledged, refused " + refused + "; hub connections " + now);
        assertThat(now).hasSizeGreaterThanOrEqualTo(2).doesNotContainAnyElementsOf(oldBackends);
        assertThat(refused).as("a connection dropped under a call is told as one").allMatch(r -> r.startsWith("store-degraded"));
        refused.clear();

        // replaced by one from another CA: new connections are refused (store-tls), nothing acknowledged is lost
        TlsCerts.CertAndKey rogue = certs.reissueServer("server-rogue", true);
        server.replaceServerCertificate(rogue.cert(), rogue.key());
        dropHubConnections(role);
        await("alice told that the server's certificate is not trusted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !send(alice, "while untrusted " + refused.size(), acked, refused) && refused.getLast().startsWith("store-tls"));
        System.out.println("[clientcert] with another CA's certificate: " + refused.getLast());
        assertThat(refused.getLast()).contains("is not signed by the CA certificate in sslrootcert=" + certs.ca()).contains("nothing was written");
        TestHome.Result join = homes.create().cli("team", "join", url);
        assertThat(join.exit()).as(join.toString()).isEqualTo(1);
        assertThat(join.stderr()).contains("is not signed by the CA certificate");

        // a good certificate back: the hubs recover by themselves
        TlsCerts.CertAndKey back = certs.reissueServer("server-back", false);
        server.replaceServerCertificate(back.cert(), back.key());
        await("a message once a good certificate is back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(alice, "after the recovery " + acked.size(), acked, refused));
        assertThat(askAcross(alice, bob, "recovered?", delivered)).containsEntry("timed_out", false);
        await("every acknowledged message delivered").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            messages(bob.call("read_my_messages", Map.of())).forEach(m -> delivered.add(String.valueOf(m.get("body"))));
            return delivered.containsAll(acked);
        });
        List<String> stored = server.query(role, "SELECT body FROM messages ORDER BY seq");
        System.out.println("[clientcert] sent " + (acked.size() + refused.size()) + ", acknowledged " + acked.size() + ", refused " + refused.size()
                + ", stored " + stored.size() + ", delivered " + delivered.size());
        assertThat(delivered).as("each acknowledged message delivered once").containsExactlyInAnyOrderElementsOf(acked);
        assertThat(stored.stream().filter(acked::contains).toList()).as("each acknowledged message stored once").containsExactlyInAnyOrderElementsOf(acked);
        for (String r : refused) assertThat(stored).as("a refused message was not written").doesNotContain(r.substring(r.lastIndexOf('[') + 1, r.length() - 1));
    }

    /** Ends the hubs' server sessions, so that every connection they use from now on is a new one (a new handshake). */
    private static List<String> dropHubConnections(String database) {
        List<String> pids = hubBackends(database);
        server.query("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND application_name = 'huddle hub'");
        return pids;
    }

    private static List<String> hubBackends(String database) {
        return server.query("postgres", "SELECT pid FROM pg_stat_activity WHERE datname = '" + database + "' AND application_name = 'huddle hub'");
    }

    /** The certificate the server presents to a new connection now (openssl s_client), as PEM's base64. */
    private static String presented() throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-starttls", "postgres", "-connect", "127.0.0.1:" + server.port())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return base64(out);
    }

    private static String pem(Path cert) throws Exception {
        return base64(Files.readString(cert));
    }

    private static String base64(String text) {
        int start = text.indexOf("-----BEGIN CERTIFICATE-----");
        int end = text.indexOf("-----END CERTIFICATE-----", start);
        assertThat(start).as(text).isNotNegative();
        return text.substring(start + "-----BEGIN CERTIFICATE-----".length(), end).replaceAll("\\s", "");
    }

    private static void refused(TestHome h, String url, String says, String nextStep) {
        TestHome.Result r = h.cli("team", "join", url);
        System.out.println("[clientcert] refused: " + r.stderr().strip().replace('\n', ' '));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains(says).contains("nothing was written").contains(nextStep)
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SEVERE");
    }
}
