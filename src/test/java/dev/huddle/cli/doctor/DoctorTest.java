package dev.huddle.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.huddle.agents.doctor.Check;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.protocol.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DoctorTest {
    @TempDir
    Path tmp;

    private Path huddleHome;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        huddleHome = Files.createDirectory(tmp.resolve("h"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env = Map.of("HUDDLE_HOME", huddleHome.toString(), "HOME", tmp.resolve("userhome").toString(), "PATH", "/usr/bin:/bin");
    }

    private static final Doctor.HubProbe NOT_RUNNING = () -> {
        throw new IOException("no hub is running");
    };

    private Doctor doctor(Doctor.HubProbe probe) {
        return new Doctor(env, tmp, probe, Duration.ofMillis(500));
    }

    private static Check named(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static HubStatus status(String version, String databaseCheck, List<String> configProblems) {
        return new HubStatus(4242L, version, Version.CURRENT.build(), null, 75L, null, null, null, "/x/huddle.db", 1,
                databaseCheck, 2, 1, 0, 0, configProblems, 0, "ok", null, null, "none");
    }

    private static HubStatus status(String databaseCheck, List<String> configProblems) {
        return status(Version.CURRENT.version(), databaseCheck, configProblems);
    }

    @Test
    void hubNotRunningIsFineAndTheDatabaseWaitsForTheNextStart() {
        List<Check> checks = doctor(NOT_RUNNING).hubChecks();
        assertThat(named(checks, "hub").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "hub").detail()).contains("not running");
        assertThat(named(checks, "database").detail()).contains("not created yet");
        assertThat(named(checks, "config").status()).isEqualTo(Check.Status.OK);
    }

    @Test
    void staleSocketWithoutAHubIsAWarning() throws IOException {
        Files.writeString(huddleHome.resolve("hub.sock"), "");
        Check hub = named(doctor(NOT_RUNNING).hubChecks(), "hub");
        assertThat(hub.status()).isEqualTo(Check.Status.WARN);
        assertThat(hub.detail()).contains("stale socket").contains("the next client removes it");
    }

    @Test
    void runningHubOfThisBuild() {
        List<Check> checks = doctor(() -> status("ok", List.of())).hubChecks();
        assertThat(named(checks, "hub").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "hub").detail()).contains("pid 4242").contains("(this build)").contains("2 agents");
        assertThat(named(checks, "database").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "database").detail()).contains("schema version 1").contains("integrity check ok");
    }

    @Test
    void failedDatabaseCheckAndConfigProblemsFromTheHub() {
        List<Check> checks = doctor(() -> status("*** in database main ***\nPage 3 is never used", List.of("hub_idle_exit_s must be an integer")))
                .hubChecks();
        assertThat(named(checks, "database").status()).isEqualTo(Check.Status.FAIL);
        assertThat(named(checks, "database").hint()).contains("huddle hub recover").contains("aside");
        assertThat(named(checks, "config").status()).isEqualTo(Check.Status.WARN);
        assertThat(named(checks, "config").detail()).contains("hub_idle_exit_s");
        assertThat(DoctorReport.ok(checks)).isFalse();
    }

    @Test
    void aFullDiskIsReportedWithItsReasonWhileItLasts() {
        HubStatus full = new HubStatus(4242L, Version.CURRENT.version(), Version.CURRENT.build(), null, 75L, null, null, null, "/x/huddle.db",
                1, "ok", 2, 1, 0, 0, List.of(), 0, "degraded", "the disk holding /x is full (SQLITE_FULL)",
                java.time.Instant.parse("2026-12-07T07:00:00Z"), "none");
        Check db = named(doctor(() -> full).hubChecks(), "database");
        assertThat(db.status()).isEqualTo(Check.Status.FAIL);
        assertThat(db.detail()).contains("storage degraded since 2026-12-07T07:00:00Z").contains("the disk holding /x is full");
        assertThat(db.hint()).contains("Free space").contains("by itself");
    }

    @Test
    void newerHubIsAWarning() {
        HubStatus s = status("999.0.0", "ok", List.of());
        Check hub = named(doctor(() -> s).hubChecks(), "hub");
        assertThat(hub.status()).isEqualTo(Check.Status.WARN);
        assertThat(hub.detail()).contains("newer than this huddle");
    }

    @Test
    void olderHubFromHubJsonIsLeftAloneSoItDoesNotHandOverNow() throws IOException {
        Version older = new Version("0.0.0-a", "");
        assumeTrue(Version.CURRENT.isNewerThan(older));
        Files.writeString(huddleHome.resolve("hub.json"),
                "{\"pid\":" + ProcessHandle.current().pid() + ",\"version\":\"0.0.0-a\",\"build\":\"\"}");
        AtomicInteger probed = new AtomicInteger();
        Check hub = named(doctor(() -> {
            probed.incrementAndGet();
            return status("ok", List.of());
        }).hubChecks(), "hub");
        assertThat(hub.status()).isEqualTo(Check.Status.WARN);
        assertThat(hub.detail()).contains("older build").contains("will hand over on next connect");
        assertThat(probed).hasValue(0);
    }

    @Test
    void aHubThatDoesNotAnswerIsAFailure() {
        CountDownLatch answer = new CountDownLatch(1); // the hub answers only once the doctor has given up on it
        try {
        Check hub = named(doctor(() -> {
            try {
                    answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status("ok", List.of());
        }).hubChecks(), "hub");
        assertThat(hub.status()).isEqualTo(Check.Status.FAIL);
        assertThat(hub.detail()).contains("did not answer");
        } finally {
            answer.countDown();
        }
    }

    @Test
    void malformedConfigIsReportedWhenTheHubIsNotRunning() throws IOException {
        Files.writeString(huddleHome.resolve("config.json"), "{nope");
        Check config = named(doctor(NOT_RUNNING).hubChecks(), "config");
        assertThat(config.status()).isEqualTo(Check.Status.WARN);
        assertThat(config.detail()).contains("not valid JSON");
    }

    @Test
    void databaseHeaderIsChecked() throws IOException {
        Path db = huddleHome.resolve("huddle.db");
        Files.writeString(db, "this is not a database, just text that is long enough to fill a header of sixty-four bytes");
        assertThat(doctor(NOT_RUNNING).databaseFile().status()).isEqualTo(Check.Status.FAIL);

        byte[] header = new byte[4096];
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 16);
        ByteBuffer.wrap(header, 60, 4).putInt(3);
        Files.write(db, header);
        Check ok = doctor(NOT_RUNNING).databaseFile();
        assertThat(ok.status()).isEqualTo(Check.Status.OK);
        assertThat(ok.detail()).contains("schema version 3").contains("next start");

        Files.write(db, new byte[0]);
        assertThat(doctor(NOT_RUNNING).databaseFile().detail()).contains("empty");
    }

    @Test
    void homeMustBePrivate() throws IOException {
        Path log = Files.createDirectory(huddleHome.resolve("logs"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path db = huddleHome.resolve("huddle.db");
        Files.writeString(db, "");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        Path hubLog = log.resolve("hub.log");
        Files.writeString(hubLog, "");
        Files.setPosixFilePermissions(hubLog, PosixFilePermissions.fromString("rw-------"));
        Check ok = doctor(NOT_RUNNING).home();
        assertThat(ok.status()).isEqualTo(Check.Status.OK);
        assertThat(ok.detail()).contains("2 files");

        Files.setPosixFilePermissions(hubLog, PosixFilePermissions.fromString("rw-r--r--"));
        Check exposed = doctor(NOT_RUNNING).home();
        assertThat(exposed.status()).isEqualTo(Check.Status.FAIL);
        assertThat(exposed.detail()).contains(hubLog.toString()).contains("rw-r--r--");
        assertThat(exposed.hint()).contains("chmod 600");

        Files.setPosixFilePermissions(hubLog, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(huddleHome, PosixFilePermissions.fromString("rwxr-xr-x"));
        Check open = doctor(NOT_RUNNING).home();
        assertThat(open.status()).isEqualTo(Check.Status.WARN);
        assertThat(open.hint()).isEqualTo("chmod 700 " + huddleHome);
    }

    @Test
    void missingHomeIsFineAndAFileInItsPlaceIsNot() throws IOException {
        Files.delete(huddleHome);
        assertThat(doctor(NOT_RUNNING).home().detail()).contains("does not exist yet");
        Files.writeString(huddleHome, "");
        assertThat(doctor(NOT_RUNNING).home().status()).isEqualTo(Check.Status.FAIL);
    }

    @Test
    void longHomeUsesTheFallbackRuntimeDirectory() throws IOException {
        Path deep = tmp.resolve("a".repeat(60)).resolve("b".repeat(40));
        Doctor d = new Doctor(Map.of("HUDDLE_HOME", deep.toString(), "HOME", tmp.toString()), tmp, NOT_RUNNING, Duration.ofMillis(100));
        Check sockets = d.sockets();
        assertThat(sockets.status()).isEqualTo(Check.Status.OK);
        assertThat(sockets.detail()).contains("fallback runtime directory");
    }

    @Test
    void javaIsRecentEnough() {
        assertThat(doctor(NOT_RUNNING).java().status()).isEqualTo(Check.Status.OK);
    }

    @Test
    void reportTextAndJson() {
        List<Check> checks = List.of(Check.ok("java", "Java 25"), Check.warn("tmux", "not found", "install tmux"),
                Check.fail("home", "exposed", "chmod 600 x"));
        String text = DoctorReport.text(checks, false);
        assertThat(text).contains("  ok    java").contains("  warn  tmux").contains("  FAIL  home").contains("→ chmod 600 x")
                .contains("3 checks: 1 ok, 1 warning, 1 problem").doesNotContain("\u001b[");
        @SuppressWarnings("unchecked") Map<String, Object> json = (Map<String, Object>) Json.tree(DoctorReport.json(checks));
        assertThat(json.get("ok")).isEqualTo(false);
        List<?> list = (List<?>) json.get("checks");
        assertThat(list).hasSize(3);
        @SuppressWarnings("unchecked") Map<String, Object> first = (Map<String, Object>) list.getFirst();
        assertThat(first).containsEntry("name", "java").containsEntry("status", "ok").containsEntry("detail", "Java 25")
                .containsEntry("hint", null);
        assertThat(((Map<?, ?>) list.get(2)).get("status")).isEqualTo("fail");
        assertThat(DoctorReport.ok(checks.subList(0, 2))).isTrue();
    }
}
