package dev.huddle.it;

import dev.huddle.it.support.TestHome;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.TlsCerts;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client-certificate ITs share: one private cluster per class whose teams' roles log in only by a client
 * certificate the test CA signed ({@link PostgresServer#startTlsWithClientCerts}), the CA's files in a directory of
 * their own, and a team's database and store URL on it.
 */
abstract class ClientCertTeams {
    static Path certDir;
    static TlsCerts certs;
    static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        certDir = Files.createTempDirectory("huddle-clientcert-");
        certs = TlsCerts.make(certDir);
        server = PostgresServer.startTlsWithClientCerts(certs);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.stopQuietly();
        if (certDir != null) TestHome.deleteRecursively(certDir);
    }

    /** A team's database owned by a new role that logs in only by client certificate; the role (and database) name. */
    static String team(String name) {
        return server.certTeam(name);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> messages(Map<String, Object> read) {
        return (List<Map<String, Object>>) read.get("messages");
    }

    /** A Claude Code session of {@code h}'s hub in {@code repo}, named {@code name}. */
    static SimulatedAgent agent(TestHome h, Path repo, String name) {
        SimulatedAgent a = h.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(a.call("set_my_state", Map.of("name", name))).containsEntry("ok", true);
        return a;
    }

    /** Sends bob one message; true when acknowledged, else its error ("code: message [body]") is added to {@code refused}. */
    static boolean send(SimulatedAgent from, String body, List<String> acked, List<String> refused) {
        Map<String, Object> r = from.call("send_message", Map.of("target", "bob", "body", body));
        if (Boolean.TRUE.equals(r.get("ok"))) {
            acked.add(body);
            return true;
        }
        Map<?, ?> e = r.get("error") instanceof Map<?, ?> m ? m : Map.of("code", "?", "message", r);
        refused.add(e.get("code") + ": " + e.get("message") + " [" + body + "]");
        return false;
    }

    /** The store URL of {@code role}'s database, verified against the test CA; a null cert or key is left out. */
    static String url(String role, Object cert, Object key) {
        return server.certUrl(certs, role, cert, key);
    }
}
