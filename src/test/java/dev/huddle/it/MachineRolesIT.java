package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.AdminSql;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
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
 * Machines of a team with their own database roles (docs/team.md, "Per-machine roles"): {@code huddle team join}
 * checks the store and writes config.json, the hubs take their machines' names from their roles and message each other
 * as before, a hub whose HUDDLE_MACHINE disagrees with its role refuses to start, doctor shows the role and TLS, and
 * {@code huddle team leave} goes back to the local database.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MachineRolesIT {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> read) {
        return (List<Map<String, Object>>) read.get("messages");
    }

    private static String machineRole(PostgresTarget db, String machine) {
        String role = db.database() + "_" + machine;
        PostgresServer.shared().sql("postgres", AdminSql.createRole(role));
        PostgresServer.shared().sql(db.database(), AdminSql.asOwner(db.database(), role, machine).toArray(String[]::new));
        return "postgresql://" + role + "@127.0.0.1:" + PostgresServer.shared().port() + "/" + db.database();
    }

    @Test
    void machinesJoinWithTheirOwnRolesMessageEachOtherAndLeave(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("rolesteam");
        PostgresDatabase.open(db, null, "admin").close(); // the owner migrates
        String laptopUrl = machineRole(db, "laptop");
        String devboxUrl = machineRole(db, "devbox");

        TestHome laptop = homes.create();
        Files.writeString(laptop.paths().config(), "{\"ask_max_timeout_ms\": 30000}\n");
        TestHome.Result joined = laptop.cli("team", "join", laptopUrl);
        assertThat(joined.exit()).as(joined.toString()).isZero();
        assertThat(joined.stdout()).contains("machine laptop's own role").contains("schema  version").contains("huddle hub stop");
        String config = Files.readString(laptop.paths().config());
        assertThat(config).contains("\"store_url\"").contains(laptopUrl.substring("postgresql://".length())).contains("ask_max_timeout_ms");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(laptop.paths().config()))).isEqualTo("rw-------");

        TestHome devbox = homes.create();
        TestHome.Result asJson = devbox.cli("team", "join", devboxUrl, "--machine", "devbox", "--json");
        assertThat(asJson.exit()).as(asJson.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) asJson.json().get("found");
        assertThat(found).containsEntry("machine", "devbox").containsEntry("restricted", true).containsEntry("schema", "current");
        assertThat(devbox.cli("team", "admin-sql", "--machine", "m3", "--role", "r3").stdout()).as("the configured store's database")
                .contains("GRANT CONNECT ON DATABASE \"" + db.database() + "\" TO r3;");
        devbox.withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");

        // the hubs write as their roles' machines; normal flows go through row-level security
        Path repo = laptop.newProject("repo");
        SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = devbox.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "hello devbox"))).containsEntry("ok", true);
        assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly("hello devbox");
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                alice.call("ask_peer", Map.of("target", "bob", "body", "ready?", "timeout_ms", 25_000)));
        Map<String, Object> question = await("bob's question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> messages(bob.call("read_my_messages", Map.of())).stream().findFirst().orElse(null), Objects::nonNull);
        assertThat(bob.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "yes"))).containsEntry("ok", true);
        assertThat(ask.get(30, TimeUnit.SECONDS)).containsEntry("timed_out", false);
        // the laptop's agent claiming bob's session: the laptop's hub may not take another machine's agent
        String bobSession = String.valueOf(bob.call("get_my_session", Map.of()).get("session_id"));
        Map<String, Object> stolen = alice.call("claim_session", Map.of("session_id", bobSession));
        System.out.println("[roles] claim_session of devbox's agent from the laptop: " + stolen);
        assertThat(stolen).as(stolen.toString()).doesNotContainEntry("ok", true);
        assertThat(stolen.toString()).containsAnyOf("store-forbidden", "session-in-use");
        assertThat(PostgresServer.shared().query(db.database(), "SELECT machine FROM agents WHERE session_id = '" + bobSession + "'"))
                .containsExactly("devbox");
        // bob's name is devbox's: the laptop's agent cannot take it (it is online anyway) nor change bob's row
        assertThat(PostgresServer.shared().query(db.database(), "SELECT name || '@' || machine FROM agents WHERE name IS NOT NULL ORDER BY name"))
                .containsExactly("alice@laptop", "bob@devbox");
        assertThat(PostgresServer.shared().query(db.database(), "SELECT body || '@' || machine FROM messages ORDER BY seq"))
                .containsExactly("hello devbox@laptop", "ready?@laptop", "yes@devbox");

        // doctor, from the laptop: the store, its role and TLS (loopback here)
        TestHome.Result doctor = laptop.cli(repo, "doctor");
        assertThat(doctor.stdout()).as(doctor.toString()).contains("store role").contains("machine laptop's own role")
                .contains("store tls").contains("schema version " + PostgresDatabase.latestSchemaVersion());

        // a hub whose HUDDLE_MACHINE is not its role's machine refuses to start, saying why
        TestHome impostor = homes.create().withEnv("HUDDLE_STORE_URL", laptopUrl).withEnv("HUDDLE_MACHINE", "devbox");
        TestHome.Result run = impostor.cli("hub", "run");
        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("writes as machine 'laptop'").contains("HUDDLE_MACHINE names this machine 'devbox'");

        // the store is a server's: hub recover refuses it
        TestHome.Result recover = laptop.cli("hub", "recover");
        assertThat(recover.exit()).as(recover.toString()).isEqualTo(1);
        assertThat(recover.stderr()).contains("shared PostgreSQL database").contains("huddle team leave");

        TestHome.Result left = laptop.cli("team", "leave");
        assertThat(left.exit()).as(left.toString()).isZero();
        assertThat(left.stdout()).contains("removed store_url").contains("local SQLite database").contains("huddle hub stop");
        assertThat(Files.readString(laptop.paths().config())).doesNotContain("store_url").contains("ask_max_timeout_ms");
        assertThat(laptop.cli("team", "leave").stdout()).contains("uses its own database already");
    }

    @Test
    void joinRefusesABadUrlAnUnreachableServerAndAnotherMachinesRoleWritingNothing(TestHomes homes) throws Exception {
        TestHome h = homes.create();
        TestHome.Result bad = h.cli("team", "join", "mysql://db/team");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.stderr()).contains("must start with postgresql://");
        TestHome.Result secret = h.cli("team", "join", "postgresql://huddle:hunter2@db/team");
        assertThat(secret.exit()).isEqualTo(2);
        assertThat(secret.stderr()).contains("passwords never go in the URL").doesNotContain("hunter2");

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestHome.Result nowhere = h.cli("team", "join", "postgresql://huddle@127.0.0.1:" + port + "/team");
        assertThat(nowhere.exit()).as(nowhere.toString()).isEqualTo(1);
        assertThat(nowhere.stderr()).contains("cannot reach PostgreSQL at 127.0.0.1:" + port).contains("nothing was written");

        PostgresTarget db = PostgresServer.newDatabase("rolesjoin");
        PostgresDatabase.open(db, null, "admin").close();
        String laptopUrl = machineRole(db, "laptop");
        TestHome.Result other = h.cli("team", "join", laptopUrl, "--machine", "devbox");
        assertThat(other.exit()).as(other.toString()).isEqualTo(1);
        assertThat(other.stderr()).contains("writes as machine 'laptop', not 'devbox'");
        assertThat(h.paths().config()).as("nothing written").doesNotExist();

        // the administrator migrates as the owner; a machine's role may not
        PostgresTarget fresh = PostgresServer.newDatabase("rolesmigrate");
        TestHome admin = homes.create().withEnv("HUDDLE_STORE_URL", fresh.toString());
        TestHome.Result migrated = admin.cli("team", "migrate");
        assertThat(migrated.exit()).as(migrated.toString()).isZero();
        assertThat(migrated.stdout()).contains("migrated the schema from version 0 to " + PostgresDatabase.latestSchemaVersion());
        assertThat(admin.cli("team", "migrate").stdout()).contains("up to date");
        TestHome.Result byMachine = homes.create().withEnv("HUDDLE_STORE_URL", machineRole(fresh, "laptop")).cli("team", "migrate");
        assertThat(byMachine.exit()).as(byMachine.toString()).isEqualTo(1);
        assertThat(byMachine.stderr()).contains("machine laptop's role").contains("it never changes the schema").contains("huddle team migrate");

        TestHome.Result sql = h.cli("team", "admin-sql", "--machine", "laptop", "--role", "huddle_laptop", "--database", "team_a");
        assertThat(sql.exit()).as(sql.toString()).isZero();
        assertThat(sql.stdout()).contains("CREATE ROLE huddle_laptop LOGIN;").contains("\\password huddle_laptop")
                .contains("INSERT INTO huddle_machines (role, machine) VALUES ('huddle_laptop', 'laptop');")
                .contains("SELECT huddle_grant_machines();");
        assertThat(h.cli("team", "admin-sql", "--machine", "x", "--role", "Bad-Name", "--database", "d").exit()).isEqualTo(2);
    }
}
