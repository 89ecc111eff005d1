package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.AdminSql;
import dev.huddle.store.postgres.PostgresDatabase;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CrossMachineIT's flows with every hub connected as its machine's own database role (docs/team.md, "Per-machine
 * roles"), under row-level security: the wake the laptop decides is taken (carried_at) and typed by the devbox's hub,
 * the ask_peer between them is answered across, and read_session is answered by the owning hub through its read
 * request, or refused, or names the silent machine. What a third machine's role may not do to them is
 * OwningHubRolesIT's (store/postgres).
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrossMachineRolesIT extends CrossMachineIT {
    private PostgresTarget db;
    private final List<TestHome> machines = new ArrayList<>();

    /** Before the hubs stop: the laptop's and the devbox's hubs are connected, each as its role, none as the owner. */
    @AfterEach
    void theHubsConnectedAsTheirRoles() throws IOException {
        if (db == null) return;
        List<String> users = PostgresServer.shared().query(db.database(), "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '"
                + db.database() + "' AND usename <> 'postgres' ORDER BY usename");
        assertThat(users).contains(db.database() + "_devbox", db.database() + "_laptop")
                .allSatisfy(u -> assertThat(u).startsWith(db.database() + "_"));
        // and nothing a hub did in the background (sweeps, timers, heartbeats, answers) was refused by the database
        for (TestHome m : machines) {
            assertThat(logs(m)).as("the hub log of %s", m.home()).isNotEmpty().doesNotContain("row-level security").doesNotContain("store-forbidden")
                    .doesNotContain("42501").doesNotContain("refused the write");
        }
    }

    private static String logs(TestHome home) throws IOException {
        if (!Files.isDirectory(home.paths().logDir())) return "";
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(home.paths().logDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) all.append(Files.readString(f));
        }
        return all.toString();
    }

    /** The administrator's SQL (huddle team admin-sql) for the machine's role, then a home whose hub connects as it. */
    @Override
    TestHome machine(TestHomes homes, PostgresTarget db, String name) {
        this.db = db;
        PostgresDatabase.open(db, null, "admin").close(); // the owner migrates (once; again it does nothing)
        String role = db.database() + "_" + name;
        PostgresServer.shared().sql("postgres", AdminSql.createRole(role));
        PostgresServer.shared().sql(db.database(), AdminSql.asOwner(db.database(), role, name).toArray(String[]::new));
        String url = "postgresql://" + role + "@127.0.0.1:" + PostgresServer.shared().port() + "/" + db.database();
        TestHome home = homes.create();
        machines.add(home);
        return home.withEnv("HUDDLE_STORE_URL", url).withEnv("HUDDLE_MACHINE", name).withEnv("HUDDLE_WAKE_TERMINAL", "on");
    }
}
