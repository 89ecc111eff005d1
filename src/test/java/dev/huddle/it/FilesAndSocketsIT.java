package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.it.support.TestHome.Result;
import dev.huddle.protocol.HubPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's state on disk: a private directory (0700) of private files (0600) and sockets (0600); logs in
 * {@code $HUDDLE_HOME/logs/hub.log}; a home too deep for a Unix socket path moves the sockets to a short private
 * runtime directory, and everything still works.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilesAndSocketsIT {
    @Test
    void stateDirectoryFilesAndSocketsArePrivate(TestHome parent, TestHomes homes) throws Exception {
        // A home huddle creates itself, under a 0755 parent: nothing may inherit the parent's or the umask's mode.
        Files.setPosixFilePermissions(parent.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestHome h = TestHome.at(parent.home().resolve("hh"));
        homes.track(h);
        Path cwd = h.newDir("perm");
        SimulatedAgent a = h.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1",
                "CLAUDE_CODE_SESSION_ID", "5d1c2f3e-0000-4000-8000-00000000aaaa"));
        assertThat(a.call("set_my_state", Map.of("purpose", "write to the database"))).containsEntry("ok", true);
        h.awaitHub(null, Duration.ofSeconds(10));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("", "rwx------");
        expected.put("logs", "rwx------");
        for (String f : List.of("huddle.db", "huddle.db-wal", "huddle.db-shm", "hub.lock", "start.lock", "hub.json",
                "logs/hub.log", "logs/hub.stderr.log", "hub.sock", "http.sock")) {
            expected.put(f, "rw-------");
        }
        for (var e : expected.entrySet()) {
            Path p = e.getKey().isEmpty() ? h.home() : h.home().resolve(e.getKey());
            assertThat(p).as(e.getKey()).exists();
            assertThat(mode(p)).as("mode of %s", p).isEqualTo(e.getValue());
        }
        assertThat(attrs(h.home().resolve("hub.sock")).isOther()).as("hub.sock is a socket").isTrue();
        assertThat(attrs(h.home().resolve("http.sock")).isOther()).as("http.sock is a socket").isTrue();
        // And nothing at all in the home is open to group or others.
        try (Stream<Path> all = Files.walk(h.home())) {
            for (Path p : all.toList()) {
                assertThat(mode(p).substring(3)).as("group/other bits of %s", p).isEqualTo("------");
            }
        }

        // A pre-existing home and database with loose permissions are tightened.
        a.close();
        h.stopHub();
        Files.setPosixFilePermissions(h.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(h.home().resolve("huddle.db"), PosixFilePermissions.fromString("rw-r--r--"));
        h.startHub();
        assertThat(mode(h.home())).isEqualTo("rwx------");
        assertThat(mode(h.home().resolve("huddle.db"))).isEqualTo("rw-------");
    }

    @Test
    void logsGoToHubLog(TestHome h) throws IOException {
        long pid = h.startHub();
        String log = Files.readString(h.home().resolve("logs/hub.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("ready in").contains("pid " + pid);
        assertThat(h.cli("hub", "stop").exit()).isZero();
        assertThat(Files.readString(h.home().resolve("logs/hub.log"))).contains("hub stopped: stop requested");
    }

    @Test
    void aLongHomeMovesTheSocketsToAShortPrivateRuntimeDirectory(TestHome parent, TestHomes homes) throws Exception {
        Path deep = parent.home().resolve("a-rather-long-directory-name-for-the-huddle-home-test")
                .resolve("and-another-level-to-pass-one-hundred-bytes");
        assertThat(deep.resolve("hub.sock").toString().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(100);
        TestHome h = TestHome.at(deep);
        homes.track(h);
        HubPaths paths = h.paths();
        assertThat(paths.runtimeFallback()).isTrue();

        Path cwd = h.newDir("long");
        SimulatedAgent a = h.agent(cwd, "generic", Map.of());
        assertThat(a.call("set_my_state", Map.of("name", "deep"))).containsEntry("ok", true);
        assertThat(a.call("get_my_session", Map.of())).containsEntry("name", "deep");
        long hub = h.awaitHub(null, Duration.ofSeconds(10));

        Result statusResult = h.cli("hub", "status", "--json");
        assertThat(statusResult.exit()).as("status: %s", statusResult).isZero();
        Map<String, Object> status = statusResult.json();
        assertThat(((Number) status.get("pid")).longValue()).isEqualTo(hub);
        Path mcpSocket = Path.of(Json.str(status, "mcp_socket"));
        Path httpSocket = Path.of(Json.str(status, "http_socket"));
        assertThat(mcpSocket).isEqualTo(paths.mcpSocket());
        assertThat(mcpSocket.startsWith(deep)).as("socket outside the deep home").isFalse();
        for (Path s : List.of(mcpSocket, httpSocket)) {
            assertThat(s.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
            assertThat(attrs(s).isOther()).as("%s is a socket", s).isTrue();
            assertThat(mode(s)).isEqualTo("rw-------");
        }
        assertThat(mode(mcpSocket.getParent())).as("the runtime directory").isEqualTo("rwx------");
        assertThat(deep.resolve("hub.sock")).doesNotExist();
        assertThat(deep.resolve("huddle.db")).exists(); // the state stays in the home
        assertThat(mode(deep)).isEqualTo("rwx------");

        Result ps = h.cli(cwd, "ps", "--json");
        assertThat(ps.exit()).isZero();
        assertThat(ps.stdout()).contains("\"name\":\"deep\"");
        assertThat(h.cli("hub", "stop").exit()).isZero();
        TestHome.awaitGone(hub, Duration.ofSeconds(10));
        assertThat(a.call("get_my_session", Map.of())).as("the front restarts the hub behind the fallback socket")
                .containsEntry("ok", true).containsEntry("name", "deep");
    }

    /**
     * Issue 15, defect 8: the hub's background AOT training wrote {@code logs/aot-train.log} with the umask's 0644, and
     * {@code huddle doctor} then failed on huddle's own file. Trained into {@code $HUDDLE_HOME/aot} (where caches go when
     * the jar's folder is not writable), every file and directory it leaves is private, and the doctor, which now looks
     * into every directory of the home, agrees.
     */
    @Test
    void theBackgroundAotTrainingLeavesOnlyPrivateFilesAndTheDoctorAgrees(TestHome h) throws Exception {
        h.withEnv("HUDDLE_AOT", "on").withEnv("HUDDLE_AOT_DIR", h.home().resolve("aot").toString());
        h.startHub(); // trains 5 s after it starts, the three roles one after another
        Path log = h.paths().logDir().resolve("aot-train.log");
        org.awaitility.Awaitility.await("the hub's AOT training done").atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.exists(log) && Files.readString(log).matches("(?s).*aot-train: (wrote|problem).*"));
        assertThat(mode(log)).as("mode of %s", log).isEqualTo("rw-------");
        try (Stream<Path> all = Files.walk(h.home())) {
            for (Path p : all.toList()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) assertThat(mode(p).substring(3)).as("group/other bits of %s", p).isEqualTo("------");
            }
        }
        Result doctor = h.cli("doctor", "--json");
        Map<String, Object> home = Json.list(doctor.json(), "checks").stream().map(c -> Json.map(c))
                .filter(c -> "home".equals(c.get("name"))).findFirst().orElseThrow();
        assertThat(home).as("huddle doctor's home check%n%s", doctor).containsEntry("status", "ok");
    }

    private static PosixFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(attrs(p).permissions());
    }
}
