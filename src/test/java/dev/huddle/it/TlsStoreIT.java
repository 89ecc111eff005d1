package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.TlsCerts;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shared store behind TLS with real certificates (docs/team.md, "TLS"): a throwaway CA and a server certificate for
 * localhost and 127.0.0.1 made with openssl, a private cluster with ssl on that takes TCP connections only as hostssl,
 * and a role that logs in with a password from a 0600 file. Two hubs joined with sslmode=verify-full exchange a message
 * and an ask_peer reply over it; then what is refused, each with an error that names the problem and the next step and
 * writes nothing: another CA, a host name the certificate does not hold (verify-ca lets that one through: the
 * difference), a plain connection, and verify-full without a CA file. One cluster for the class.
 */
@HubTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TlsStoreIT {
    private static Path certDir;
    private static TlsCerts certs;
    private static PostgresServer server;

    /** A team's database, owned by a role of its own that logs in with the password in {@code passwordFile} (0600). */
    private record Team(String database, String role, String password, Path passwordFile) {
        String url(String host, String query) {
            return "postgresql://" + role + "@" + host + ":" + server.port() + "/" + database + "?" + query;
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        certDir = Files.createTempDirectory("huddle-tls-");
        certs = TlsCerts.make(certDir);
        server = PostgresServer.startTls(certs, false);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.stopQuietly();
        if (certDir != null) TestHome.deleteRecursively(certDir);
    }

    private static Team team(String name) throws Exception {
        String role = name + "_" + ProcessHandle.current().pid();
        String password = "pw-" + UUID.randomUUID();
        server.sql("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'", "CREATE DATABASE " + role + " OWNER " + role);
        Path file = Files.createTempFile(certDir, "pw-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n");
        return new Team(role, role, password, file);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> read) {
        return (List<Map<String, Object>>) read.get("messages");
    }

    private static String verifyFull(Team t, String host) {
        return t.url(host, "sslmode=verify-full&sslrootcert=" + certs.ca());
    }

    @Test
    void twoHubsJoinedWithVerifyFullMessageAndAskOverTlsAndNeitherPasswordNorUrlShowsInPs(TestHomes homes) throws Exception {
        Team team = team("tls");
        String url = verifyFull(team, "localhost");
        TestHome laptop = homes.create().withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
        TestHome devbox = homes.create().withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
        for (TestHome h : List.of(laptop, devbox)) {
            String machine = h == laptop ? "laptop" : "devbox";
            TestHome.Result joined = h.cli("team", "join", url, "--password-file", team.passwordFile().toString(), "--machine", machine);
            System.out.println("[tls] team join (" + machine + "):\n" + joined.stdout());
            assertThat(joined.exit()).as(joined.toString()).isZero();
            assertThat(joined.stdout()).contains("tls     encrypted (TLSv1.").contains("verified: the server's certificate is signed by the CA in "
                    + certs.ca() + " and names localhost (sslmode verify-full)").doesNotContain("warning");
            assertThat(joined.stdout() + joined.stderr()).doesNotContain(team.password());
        }

        Path repo = laptop.newProject("repo");
        SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = devbox.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "over TLS"))).containsEntry("ok", true);
        assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly("over TLS");
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                alice.call("ask_peer", Map.of("target", "bob", "body", "encrypted?", "timeout_ms", 25_000)));
        Map<String, Object> question = await("bob's question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> messages(bob.call("read_my_messages", Map.of())).stream().findFirst().orElse(null), Objects::nonNull);
        assertThat(bob.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "yes"))).containsEntry("ok", true);
        Map<String, Object> answered = ask.get(30, TimeUnit.SECONDS);
        assertThat(answered).as(answered.toString()).containsEntry("timed_out", false);
        assertThat(server.query(team.database(), "SELECT body || '@' || machine FROM messages ORDER BY seq"))
                .containsExactly("over TLS@laptop", "encrypted?@laptop", "yes@devbox");
        // every connection of both hubs (the pools, the LISTEN connections, the heartbeats) is encrypted
        List<String> hubConnections = server.query("postgres", "SELECT s.ssl::text || ' ' || s.version FROM pg_stat_activity a JOIN pg_stat_ssl s"
                + " USING (pid) WHERE a.datname = '" + team.database() + "' AND a.application_name = 'huddle hub'");
        System.out.println("[tls] the hubs' connections (ssl, version): " + hubConnections);
        assertThat(hubConnections).hasSizeGreaterThanOrEqualTo(4).allMatch(s -> s.startsWith("true TLSv1."));

        Map<String, Object> tls = laptop.cli(repo, "doctor", "--json").doctorCheck("store tls");
        System.out.println("[tls] doctor: " + tls);
        assertThat(tls).containsEntry("status", "ok");
        assertThat(String.valueOf(tls.get("detail"))).contains("verified").contains("names localhost");

        // the password (from the file) and the URL are in no hub's command line; the password is in no log nor environment
        for (TestHome h : List.of(laptop, devbox)) {
            long pid = h.hubPid().orElseThrow();
            String cmdline = String.join(" ", TestHome.cmdlineOf(pid));
            assertThat(cmdline).as("hub command line").doesNotContain(team.password()).doesNotContain("postgresql://").doesNotContain(team.database());
            assertThat(TestHome.environOf(pid)).doesNotContain(team.password());
            assertThat(h.logTail()).doesNotContain(team.password());
            assertThat(Files.readString(h.paths().config())).doesNotContain(team.password()).contains(team.passwordFile().toString());
        }
    }

    @Test
    void anotherCaAHostTheCertificateDoesNotNameAndAPlainConnectionAreRefusedClearlyWritingNothing(TestHomes homes) throws Exception {
        Team team = team("refused");
        TestHome h = homes.create().withEnv("PGPASSWORD", team.password());
        Path config = h.paths().config();
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"ask_max_timeout_ms\": 30000}\n");
        String before = Files.readString(config);

        // another CA: the server's certificate is not signed by it
        TestHome.Result otherCa = h.cli("team", "join", team.url("localhost", "sslmode=verify-full&sslrootcert=" + certs.otherCa()));
        System.out.println("[tls] another CA:\n" + otherCa.stderr());
        assertThat(otherCa.exit()).as(otherCa.toString()).isEqualTo(1);
        assertThat(otherCa.stderr()).contains("the server's certificate at localhost:" + server.port()).contains("is not signed by the CA certificate in"
                + " sslrootcert=" + certs.otherCa()).contains("nothing was written").contains("openssl s_client");
        clean(otherCa);
        // sslrootcert=system: the Java runtime's trusted CAs, which never signed this test CA's server
        TestHome.Result system = h.cli("team", "join", team.url("localhost", "sslmode=verify-full&sslrootcert=system"));
        assertThat(system.exit()).as(system.toString()).isEqualTo(1);
        assertThat(system.stderr()).contains("is not signed by the Java runtime's trusted CAs");
        clean(system);
        // the hub refuses to start on it the same way, and makes no local database instead
        TestHome.Result hub = homes.create().withEnv("PGPASSWORD", team.password())
                .withEnv("HUDDLE_STORE_URL", team.url("localhost", "sslmode=verify-full&sslrootcert=" + certs.otherCa())).cli("hub", "run");
        assertThat(hub.exit()).as(hub.toString()).isEqualTo(3);
        assertThat(hub.stderr()).contains("refusing to start").contains("is not signed by the CA certificate").doesNotContain("pg_isready");
        clean(hub);

        // a host name the certificate does not hold: refused with verify-full, let through with verify-ca
        TestHome.Result misnamed = h.cli("team", "join", verifyFull(team, "127.0.0.2"));
        System.out.println("[tls] a host the certificate does not name:\n" + misnamed.stderr());
        assertThat(misnamed.exit()).as(misnamed.toString()).isEqualTo(1);
        assertThat(misnamed.stderr()).contains("does not name the host 127.0.0.2").contains("subjectAltName").contains("nothing was written");
        clean(misnamed);
        assertThat(Files.readString(config)).as("nothing written so far").isEqualTo(before);
        TestHome.Result caOnly = h.cli("team", "join", team.url("127.0.0.2", "sslmode=verify-ca&sslrootcert=" + certs.ca()), "--json");
        assertThat(caOnly.exit()).as(caOnly.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) caOnly.json().get("found");
        assertThat(found).containsEntry("ssl", true).containsEntry("server_checked", true).containsEntry("host_checked", false);
        assertThat(h.cli("team", "leave").exit()).isZero();

        // a plain connection to a server that takes TLS only
        TestHome.Result plain = h.cli("team", "join", team.url("127.0.0.1", "sslmode=disable"));
        System.out.println("[tls] sslmode=disable:\n" + plain.stderr());
        assertThat(plain.exit()).as(plain.toString()).isEqualTo(1);
        assertThat(plain.stderr()).contains("accepts only encrypted (TLS) connections").contains("sslmode=disable")
                .contains("sslmode=verify-full&sslrootcert=");
        clean(plain);

        // verify-full without sslrootcert: libpq's default ~/.postgresql/root.crt, from this home; there once copied
        Path home = h.newDir("user-home");
        TestHome other = homes.create().withEnv("PGPASSWORD", team.password()).withEnv("HOME", home.toString());
        TestHome.Result noCa = other.cli("team", "join", team.url("localhost", "sslmode=verify-full"));
        System.out.println("[tls] verify-full without a CA file:\n" + noCa.stderr());
        assertThat(noCa.exit()).as(noCa.toString()).isEqualTo(1);
        assertThat(noCa.stderr()).contains("none is named").contains(home.resolve(".postgresql/root.crt").toString()).contains("sslrootcert=<its path>");
        clean(noCa);
        Files.createDirectories(home.resolve(".postgresql"));
        Files.copy(certs.ca(), home.resolve(".postgresql/root.crt"));
        TestHome.Result defaultCa = other.cli("team", "join", team.url("localhost", "sslmode=verify-full"));
        assertThat(defaultCa.exit()).as(defaultCa.toString()).isZero();
        assertThat(defaultCa.stdout()).contains("verified").contains(home.resolve(".postgresql/root.crt").toString());
        // and ~ in sslrootcert is the home's
        TestHome.Result tilde = other.cli("team", "join", team.url("localhost", "sslmode=verify-full&sslrootcert=~/.postgresql/root.crt"));
        assertThat(tilde.exit()).as(tilde.toString()).isZero();
        assertThat(Files.readString(other.paths().config())).contains("sslrootcert=" + home.resolve(".postgresql/root.crt"));
        assertThat(server.query(team.database(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .as("no check wrote to the database").containsExactly("0");
    }

    /** An error for a person: one message and a hint, no Java exception or stack trace. */
    private static void clean(TestHome.Result r) {
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SEVERE");
    }
}
