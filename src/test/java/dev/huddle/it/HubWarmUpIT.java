package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHome.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hub started with nobody waiting (issue 18, item 2) rehearses a session at start, so the first real session finds
 * its code warm, and leaves nothing behind: no agent (hub status, ps, the database), no message (log, the database),
 * no file, no log line but its one debug line. A real session right after it is served as on any hub; a hub a session
 * starts does not rehearse, and neither does one started with HUDDLE_HUB_REHEARSAL=off.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HubWarmUpIT {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void hubStartRehearsesASessionAndLeavesNothingBehind(TestHome h) throws Exception {
        h.withEnv("HUDDLE_LOG_LEVEL", "FINE"); // its one line is a debug line; anything else it logged would show too
        Result start = h.cli("hub", "start");
        assertThat(start.exit()).as("hub start: %s", start).isZero();
        // hub start returns once the rehearsal is over: a session launched right after it finds the hub warm
        assertThat(Json.str(h.cli("hub", "status", "--json").json(), "rehearsal")).as(h.logTail()).isEqualTo("done");

        Map<String, Object> status = h.cli("hub", "status", "--json").json();
        assertThat(Json.integer(status, "agents")).isZero();
        assertThat(Json.integer(status, "connected_fronts")).isZero();
        assertThat(Json.integer(h.cli("ps", "--all", "--json").json(), "count")).isZero();
        Result log = h.cli("log", "--all", "--json");
        assertThat(log.exit()).isZero();
        assertThat(log.stdout()).as("no message").isBlank();
        for (String table : List.of("agents", "agent_processes", "messages", "wakes")) {
            assertThat(rows(h, table)).as("rows in %s", table).isZero();
        }
        try (Stream<Path> files = Stream.concat(Files.list(h.home()), Files.list(h.paths().runtimeDir()))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("scratch files").noneMatch(n -> n.startsWith("warm."));
        }
        List<String> lines = Files.readAllLines(h.paths().logDir().resolve("hub.log")).stream()
                .filter(l -> !l.startsWith("\t") && !l.isBlank()).toList();
        assertThat(lines).as("the hub's log").filteredOn(l -> l.contains(" Rehearsal: ")).singleElement()
                .satisfies(l -> assertThat(l).contains(" FINE Rehearsal: rehearsal done in "));
        // what a session's hub code logs (at FINE: every front attached, every connection ended) is not there
        assertThat(lines).as("the hub's log").noneMatch(l -> l.matches(".* (FrontBinding|McpSessions|HubTools|Liveness|AgentRegistry|Fronts): .*"))
                .noneMatch(l -> l.contains("WARNING") || l.contains("SEVERE"));

        // a real session right after it: served, alone in its project, as the first session of any hub
        String session = UUID.randomUUID().toString();
        RawFront f = h.rawFront(h.newProject("after"), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", session));
        assertThat(Json.str(f.initialize("claude-code"), "result", "serverInfo", "name")).isEqualTo("huddle");
        Map<String, Object> list = f.tool("list_project_sessions", Map.of());
        assertThat(list).containsEntry("ok", true);
        assertThat(Json.list(list, "sessions")).singleElement()
                .satisfies(s -> assertThat(Json.map(s)).containsEntry("is_me", true).containsEntry("session_id", session));
        assertThat(f.tool("read_my_messages", Map.of())).containsEntry("ok", true);
        assertThat(Json.integer(h.cli("ps", "--all", "--json").json(), "count")).isEqualTo(1);
        assertThat(rows(h, "agents")).isEqualTo(1);
    }

    @Test
    void aFrontArrivingWhileItRehearsesIsServedAndNothingIsLeft(TestHome h) throws Exception {
        Process start = h.spawnCli(h.home(), "hub", "start");
        await().atMost(T).until(() -> Files.exists(h.paths().mcpSocket()));
        String session = UUID.randomUUID().toString();
        RawFront f = h.rawFront(h.newProject("during"), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", session));
        f.initialize("claude-code");
        Map<String, Object> list = f.tool("list_project_sessions", Map.of());
        assertThat(Json.list(list, "sessions")).singleElement().satisfies(s -> assertThat(Json.map(s)).containsEntry("is_me", true));
        assertThat(TestHome.finish(start, T, "hub start").exit()).isZero();
        // however the race went (done before the front came, or abandoned for it), the hub knows one agent
        assertThat(awaitRehearsal(h)).isIn("done", "abandoned");
        assertThat(Json.integer(h.cli("hub", "status", "--json").json(), "agents")).isEqualTo(1);
        assertThat(rows(h, "agents")).isEqualTo(1);
        assertThat(h.paths().rehearsalSocket()).doesNotExist();
        assertThat(h.paths().rehearsalDatabase()).doesNotExist();
    }

    @Test
    void aHubASessionStartsDoesNotRehearseNorOneWhoseSettingIsOff(TestHome h) throws Exception {
        RawFront f = h.rawFront(h.newProject("front"), Map.of("CLAUDECODE", "1"));
        f.initialize("claude-code");
        assertThat(f.tool("list_project_sessions", Map.of())).containsEntry("ok", true);
        assertThat(Json.str(h.cli("hub", "status", "--json").json(), "rehearsal")).as("started by a front").isEqualTo("none");
        f.close();
        h.stopHub();

        h.withEnv("HUDDLE_HUB_REHEARSAL", "off");
        assertThat(h.cli("hub", "start").exit()).isZero();
        assertThat(Json.str(h.cli("hub", "status", "--json").json(), "rehearsal")).isEqualTo("off");
        assertThat(h.cli("hub", "status").stdout()).contains("warm-up   off");
    }

    /** Waits while the hub says its rehearsal runs; returns what it says then. */
    private static String awaitRehearsal(TestHome h) {
        return await().atMost(T).until(() -> Json.str(h.cli("hub", "status", "--json").json(), "rehearsal"), r -> !"running".equals(r));
    }

    private static long rows(TestHome h, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + h.paths().database());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
