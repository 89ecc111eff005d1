package dev.huddle.store.postgres;

import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.StoreException;
import dev.huddle.store.WakeRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static dev.huddle.store.postgres.PostgresDatabaseIT.T0;
import static dev.huddle.store.postgres.PostgresDatabaseIT.agent;
import static dev.huddle.store.postgres.PostgresDatabaseIT.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-machine roles on a real server (issue 19: a machine writes only as itself). An owner that is not a superuser
 * migrates, the administrator's SQL ({@link AdminSql}) gives machines laptop and devbox their roles, and the database
 * itself refuses what a compromised laptop would try: a message from devbox's agent, a change to devbox's agent, a
 * forged body, another machine's name, a remapped role. What a hub does for its own agents goes through.
 */
class PostgresMachineRolesIT {
    private static PostgresServer server;
    private static PostgresTarget db;
    private static String owner;

    @BeforeAll
    static void team() {
        server = PostgresServer.shared();
        db = PostgresServer.newDatabase("roles");
        owner = db.database() + "_owner";
        server.sql("postgres", "CREATE ROLE " + owner + " LOGIN", "ALTER DATABASE " + db.database() + " OWNER TO " + owner);
        server.sql(db.database(), "GRANT CREATE ON SCHEMA public TO " + owner); // PostgreSQL 15+ has it as the database's owner
        PostgresDatabase.open(as(owner), null, "admin-box").close(); // the owner migrates
        addMachine(role("laptop"), "laptop");
        addMachine(role("devbox"), "devbox");
    }

    static String role(String machine) {
        return db.database() + "_" + machine;
    }

    static PostgresTarget as(String user) {
        return PostgresTarget.parse("postgresql://" + user + "@127.0.0.1:" + server.port() + "/" + db.database());
    }

    /** The administrator's SQL, as docs/team.md gives it: CREATE ROLE by a superuser, the rest by the tables' owner. */
    static void addMachine(String role, String machine) {
        server.sql("postgres", AdminSql.createRole(role));
        sqlAs(owner, AdminSql.asOwner(db.database(), role, machine).toArray(String[]::new));
    }

    static void sqlAs(String user, String... statements) {
        try (Connection c = DriverManager.getConnection(as(user).jdbcUrl(), user, "");
             Statement st = c.createStatement()) {
            for (String s : statements) st.execute(s);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    static Agent agentOf(String id) {
        return agent(id, id);
    }

    @Test
    void aMachinesRoleBeatsItsOwnHeartbeatAndCannotMarkAnotherMachinesHubStopped() {
        try (PostgresDatabase laptop = PostgresDatabase.open(as(role("laptop")), null, "laptop");
             PostgresDatabase devbox = PostgresDatabase.open(as(role("devbox")), null, "devbox");
             PostgresHubBeats laptopBeats = new PostgresHubBeats(laptop); PostgresHubBeats devboxBeats = new PostgresHubBeats(devbox)) {
            laptopBeats.beat("1", 11, java.time.Instant.EPOCH);
            devboxBeats.beat("1", 22, java.time.Instant.EPOCH);
            assertThat(laptopBeats.machines()).extracting(m -> m.machine() + "/" + m.heartbeat().silent()).contains("devbox/false", "laptop/false");
            // the laptop's role tries to stop the devbox's hub in the others' eyes: row-level security hides that row from it
            int changed = laptop.write(c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("UPDATE hubs SET stopped_at = 1 WHERE machine = 'devbox'");
                }
            });
            assertThat(changed).isZero();
        }
        assertThat(server.query(db.database(), "SELECT machine || '/' || coalesce(stopped_at::text, '-') FROM hubs ORDER BY machine"))
                .containsExactly("devbox/-", "laptop/-");
    }

    @Test
    void aMachineWritesForItsOwnAgentsAndTheDatabaseRefusesItsWritesForAnotherMachines() {
        try (PostgresDatabase laptop = PostgresDatabase.open(as(role("laptop")), null, "laptop");
             PostgresDatabase devbox = PostgresDatabase.open(as(role("devbox")), null, "devbox")) {
            assertThat(laptop.role().restricted()).isTrue();
            assertThat(laptop.machine()).isEqualTo("laptop");
            PostgresAgentStore la = new PostgresAgentStore(laptop);
            PostgresAgentStore da = new PostgresAgentStore(devbox);
            PostgresMessageStore lm = new PostgresMessageStore(laptop);
            PostgresMessageStore dm = new PostgresMessageStore(devbox);
            la.save(agentOf("ann"));
            da.save(agentOf("bob"));
            assertThat(server.query(db.database(), "SELECT agent_id || '@' || machine FROM agents ORDER BY agent_id")).contains("ann@laptop", "bob@devbox");

            // normal flows: send to the other machine's agent, it delivers and replies, the laptop marks its delivery
            lm.insert(text("m1", "ann", "bob"));
            assertThat(dm.markDelivered(List.of("m1"), T0, Message.DeliveryVia.TOOL)).isEqualTo(1);
            dm.insert(text("m2", "bob", "ann"));
            assertThat(lm.markDelivered(List.of("m2"), T0, Message.DeliveryVia.HOOK)).isEqualTo(1);
            lm.insertAsk(new Ask("r1", "m1", "ann", "bob", T0, Ask.State.PENDING, null, null));
            dm.markAskAnswered("r1", "m2", T0);
            assertThat(lm.findAsk("r1").orElseThrow().state()).isEqualTo(Ask.State.ANSWERED);
            new PostgresWakeStore(laptop).record(new WakeRecord(0, "m1", "bob", null, "claude-code", null, "will_fire", "test", 1, T0, null, "message"));
            PostgresClaimStore lc = new PostgresClaimStore(laptop);
            lc.put(List.of(claim("ann", "src/a.java")));

            // a message from the other machine's agent: refused by the database, a clear error
            assertThatThrownBy(() -> lm.insert(text("forged", "bob", "ann"))).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("store-forbidden"))
                    .hasMessageContaining("refused the write").hasMessageContaining("row-level security")
                    .satisfies(e -> assertThat(((StoreException) e).hint()).contains("its own machine's hub"));
            // the other machine's agent: neither changed nor taken
            assertThatThrownBy(() -> la.save(agentOf("bob").withState("hijacked", "bob", T0))).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("store-forbidden"));
            la.setReadable("bob", false); // a row the role cannot change is not there for its UPDATE
            assertThat(da.readable("bob")).isTrue();
            assertThat(da.find("bob").orElseThrow().purpose()).isEqualTo("p");
            // another machine's delivery marks, asks and claims
            dm.insert(text("m3", "bob", "bob"));
            assertThat(lm.markDelivered(List.of("m3"), T0, Message.DeliveryVia.TOOL)).isZero();
            assertThatThrownBy(() -> lm.insertAsk(new Ask("r2", "m3", "bob", "ann", T0, Ask.State.PENDING, null, null)))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> lc.put(List.of(claim("bob", "src/b.java")))).isInstanceOf(StoreException.class);
            new PostgresClaimStore(devbox).put(List.of(claim("bob", "src/b.java")));
            assertThat(lc.release("/r", "bob", null)).as("another machine's claim stays").isEmpty();
            // raw SQL a compromised hub could send: another machine's name, a forged body, a remapped role
            assertThatThrownBy(() -> laptop.write(c -> c.createStatement().executeUpdate(
                    "INSERT INTO agents (agent_id, binding_source, client_type, project_root, cwd, created_at, last_seen_at, machine)"
                            + " VALUES ('fake', 'env', 'codex', '/r', '/r', 0, 0, 'devbox')"))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> laptop.write(c -> c.createStatement().executeUpdate("UPDATE messages SET body = 'forged' WHERE id = 'm2'")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("delivery and reply marks");
            assertThatThrownBy(() -> laptop.write(c -> c.createStatement().executeUpdate("UPDATE messages SET sender_id = 'ann' WHERE id = 'm2'")))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> laptop.write(c -> c.createStatement().executeUpdate("INSERT INTO huddle_machines VALUES ('x', 'y', 0)")))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> laptop.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE huddle_machines (role TEXT, machine TEXT)");
                    st.execute("INSERT INTO huddle_machines VALUES (current_user, 'devbox')");
                    return st.executeUpdate("INSERT INTO messages (id, project_root, sender_id, origin, recipient_id, body, created_at)"
                            + " VALUES ('temp', '/r', 'bob', 'peer', 'ann', 'as bob', 0)");
                }
            })).as("a temporary huddle_machines does not remap the role").isInstanceOf(StoreException.class)
                    .hasMessageContaining("row-level security policy for table \"messages\"");
            assertThat(server.query(db.database(), "SELECT id FROM messages ORDER BY seq")).containsExactly("m1", "m2", "m3");
            assertThat(server.query(db.database(), "SELECT body FROM messages WHERE id = 'm2'")).containsExactly("hi m2");
        }
    }

    @Test
    void aMachinesOwnMergeMovesItsMessagesAndTheOwnerStillWritesAnything() {
        try (PostgresDatabase laptop = PostgresDatabase.open(as(role("laptop")), null, "laptop");
             PostgresDatabase admin = PostgresDatabase.open(as(owner), null, "admin-box")) {
            PostgresAgentStore la = new PostgresAgentStore(laptop);
            la.save(agentOf("prov"));
            la.save(agentOf("sess"));
            new PostgresAgentStore(admin).save(agentOf("carl"));
            new PostgresMessageStore(admin).insert(text("to-prov", "carl", "prov"));
            new PostgresMessageStore(laptop).insert(text("from-prov", "prov", "carl"));
            la.mergeInto("prov", "sess");
            assertThat(server.query(db.database(), "SELECT id || ':' || sender_id || '>' || recipient_id FROM messages WHERE id LIKE '%prov'"))
                    .containsExactlyInAnyOrder("to-prov:carl>sess", "from-prov:sess>carl");
            la.rename("sess", "sess2"); // the row's id cascades through the rows that point at it
            assertThat(server.query(db.database(), "SELECT count(*) FROM messages WHERE sender_id = 'sess2' OR recipient_id = 'sess2'"))
                    .containsExactly("2");
            // the owner (the administrator) bypasses row-level security: it may repair any row
            new PostgresMessageStore(admin).insert(text("by-owner", "sess2", "carl"));
        }
    }

    @Test
    void aHubOfAMachinesRoleTakesItsMachinesNameAndRefusesAnother() {
        try (PostgresDatabase unnamed = PostgresDatabase.open(as(role("laptop")), null, "some-host-name", false)) {
            assertThat(unnamed.machine()).as("the role names the machine").isEqualTo("laptop");
            new PostgresAgentStore(unnamed).save(agentOf("dee"));
            assertThat(server.query(db.database(), "SELECT machine FROM agents WHERE agent_id = 'dee'")).containsExactly("laptop");
        }
        assertThatThrownBy(() -> PostgresDatabase.open(as(role("laptop")), null, "devbox", true)).isInstanceOf(StoreException.class)
                .hasMessageContaining("writes as machine 'laptop'").hasMessageContaining("HUDDLE_MACHINE names this machine 'devbox'")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("Unset HUDDLE_MACHINE"));
    }

    @Test
    void aRoleNotListedMayNotWriteOnceMachinesAreListed() {
        String stranger = db.database() + "_stranger";
        server.sql("postgres", "CREATE ROLE " + stranger + " LOGIN");
        sqlAs(owner, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + stranger);
        assertThatThrownBy(() -> PostgresDatabase.open(as(stranger), null, "x")).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a machine of the team")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("huddle team admin-sql --machine <name> --role " + stranger));
    }

    @Test
    void withoutPerMachineRolesAnyRoleWritesAsBeforeAndAMachinesRoleNeverMigrates() {
        PostgresTarget other = PostgresServer.newDatabase("noroles");
        PostgresDatabase.open(other, null, "m0").close();
        String shared = other.database() + "_shared";
        server.sql("postgres", "CREATE ROLE " + shared + " LOGIN");
        server.sql(other.database(), "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + shared,
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + shared);
        PostgresTarget asShared = PostgresTarget.parse("postgresql://" + shared + "@127.0.0.1:" + server.port() + "/" + other.database());
        try (PostgresDatabase one = PostgresDatabase.open(asShared, null, "one");
             PostgresDatabase two = PostgresDatabase.open(asShared, null, "two")) {
            assertThat(one.role().restricted()).isFalse();
            new PostgresAgentStore(one).save(agentOf("a1"));
            new PostgresAgentStore(two).save(agentOf("b1"));
            new PostgresMessageStore(one).insert(text("x", "b1", "a1")); // as today: the machine is only claimed
            assertThat(new PostgresAgentStore(two).find("a1")).isPresent();
        }
        // a machine's role on a schema behind this huddle: refused, naming the administrator's command
        String laptop = other.database() + "_laptop";
        server.sql("postgres", AdminSql.createRole(laptop));
        server.sql(other.database(), AdminSql.asOwner(other.database(), laptop, "laptop").toArray(String[]::new));
        server.sql(other.database(), "DELETE FROM huddle_schema WHERE version = " + PostgresDatabase.latestSchemaVersion());
        PostgresTarget asLaptop = PostgresTarget.parse("postgresql://" + laptop + "@127.0.0.1:" + server.port() + "/" + other.database());
        assertThatThrownBy(() -> PostgresDatabase.open(asLaptop, null, "laptop")).isInstanceOf(StoreException.class)
                .hasMessageContaining("never changes the schema")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("huddle team migrate"));
        assertThat(server.query(other.database(), "SELECT count(*) FROM huddle_schema")).containsExactly(String.valueOf(PostgresDatabase.latestSchemaVersion() - 1));
    }

    @Test
    void writesAsAMachinesRoleCostLittleBesideTheOwners() {
        int n = 300;
        try (PostgresDatabase admin = PostgresDatabase.open(as(owner), null, "admin-box");
             PostgresDatabase laptop = PostgresDatabase.open(as(role("laptop")), null, "laptop")) {
            new PostgresAgentStore(laptop).save(agentOf("fig-l"));
            new PostgresAgentStore(admin).save(agentOf("fig-o"));
            long owner = Long.MAX_VALUE;
            long role = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) { // alternating, the best of each: the machine is shared and loaded
                owner = Math.min(owner, time(new PostgresMessageStore(admin), "fig-o", "o" + round, n));
                role = Math.min(role, time(new PostgresMessageStore(laptop), "fig-l", "l" + round, n));
            }
            System.out.printf("[figures] message inserts, one transaction each, best of 3 rounds of %d: the owner (row-level security"
                            + " bypassed: the floor) %.1f us/insert, a machine's role (policies checked) %.1f us/insert, x%.2f%n",
                    n, owner / 1000.0 / n, role / 1000.0 / n, (double) role / owner);
            assertThat(role).as("policies cost a few index lookups per row, not a scan").isLessThan(owner * 5);
        }
    }

    private static long time(PostgresMessageStore store, String agent, String prefix, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) store.insert(text(prefix + "-" + i, agent, agent));
        return System.nanoTime() - t0;
    }

    private static PathClaim claim(String holder, String pattern) {
        Instant now = Instant.now();
        return new PathClaim("/r", holder, pattern, ClaimMode.EXCLUSIVE, "test", now, now.plusSeconds(600), false, 600);
    }
}
