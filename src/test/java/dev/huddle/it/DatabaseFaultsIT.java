package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHome.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unreadable or corrupt database: the hub refuses to start with a clear error (exit 3); the CLI and an
 * agent's front report it promptly instead of hanging; and the file is left exactly as it was (never replaced,
 * never "repaired" into an empty database).
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabaseFaultsIT {
    /** Codex gives up on an MCP server that has not answered initialize within 10 s. */
    private static final Duration AGENT_PATIENCE = Duration.ofSeconds(10);

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAlone(TestHome h) throws Exception {
        Path db = h.home().resolve("huddle.db");
        byte[] garbage = "this is not a SQLite database, but someone's precious notes\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(db, garbage);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));

        Result run = h.cli("hub", "run");
        assertThat(run.exit()).as("hub run: %s", run).isEqualTo(3);
        assertThat(run.stderr()).contains("refusing to start").contains("corrupt or is not a huddle database").contains(db.toString());
        assertRefusedEverywhere(h, db);
        assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
    }

    @Test
    void aDatabaseWithACorruptHeaderIsRefusedAndItsDataKept(TestHome h) throws Exception {
        SimulatedAgent a = h.agent(h.newDir("dbc"), "generic-client", Map.of());
        assertThat(a.call("set_my_state", Map.of("name", "precious", "purpose", "data that must survive"))).containsEntry("ok", true);
        a.close();
        h.stopHub();
        Path db = h.home().resolve("huddle.db");
        assertThat(Files.readString(db, StandardCharsets.ISO_8859_1)).contains("data that must survive");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(0);
            f.write("NOT SQLITE HEADER".getBytes(StandardCharsets.US_ASCII)); // over the 16-byte magic string
        }
        assertRefusedEverywhere(h, db);
        assertThat(Files.readString(db, StandardCharsets.ISO_8859_1)).contains("data that must survive");
    }

    @Test
    void aDatabaseFromANewerHuddleIsRefused(TestHome h) throws Exception {
        h.startHub();
        h.stopHub();
        Path db = h.home().resolve("huddle.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(60); // the SQLite header's user_version: 4 bytes, big-endian, at offset 60
            f.writeInt(99);
        }
        Result run = h.cli("hub", "run");
        assertThat(run.exit()).as("hub run: %s", run).isEqualTo(3);
        assertThat(run.stderr()).contains("schema version 99").contains("newer huddle");
        assertRefusedEverywhere(h, db);
    }

    @Test
    void aDatabasePathThatCannotBeOpenedIsRefused(TestHome h) throws Exception {
        Path db = h.home().resolve("huddle.db");
        Files.createDirectory(db); // cannot be opened as a database, even by root
        Files.writeString(db.resolve("keep.txt"), "keep me");
        Result run = h.cli("hub", "run");
        assertThat(run.exit()).as("hub run: %s", run).isEqualTo(3);
        assertThat(run.stderr()).contains("refusing to start").contains(db.toString());
        Result ps = h.cli("ps", "--json");
        assertThat(ps.exit()).isEqualTo(1);
        assertThat(ps.stderr()).contains("the hub failed to start (exit 3)");
        assertThat(db.resolve("keep.txt")).hasContent("keep me");
        assertThat(h.hubProcesses()).isEmpty();
    }

    @Test
    void anUnreadableDatabaseIsRefused(TestHome h) throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads files whatever their mode");
        h.startHub();
        h.stopHub();
        Path db = h.home().resolve("huddle.db");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("---------"));
        try {
            Result run = h.cli("hub", "run");
            assertThat(run.exit()).as("hub run: %s", run).isEqualTo(3);
            assertThat(run.stderr()).contains("not readable").contains(db.toString());
        } finally {
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * The CLI and an agent's front both get a clear error that names the database, promptly; no hub keeps running;
     * the file is unchanged.
     */
    private static void assertRefusedEverywhere(TestHome h, Path db) throws Exception {
        String sha = sha256(db);
        Result ps = h.cli("ps", "--json");
        assertThat(ps.exit()).as("ps: %s", ps).isEqualTo(1);
        assertThat(ps.stderr()).contains("the hub failed to start (exit 3)").contains("database");
        assertThat(h.hubProcesses()).isEmpty();
        assertThat(h.cli("hub", "status").exit()).isEqualTo(3);

        long t0 = System.nanoTime();
        RawFront f = h.rawFront(h.newDir("dbf"), Map.of());
        Map<String, Object> init = f.initialize("generic-client");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("initialize answered in time").isLessThan(AGENT_PATIENCE);
        // The front answers initialize before its hub has had time to fail (issue 18): no agent waits for a hub.
        assertThat(Json.str(init, "result", "serverInfo", "name")).isEqualTo("huddle");
        for (int i = 0; i < 3; i++) {
            long t1 = System.nanoTime();
            Map<String, Object> call = f.callTool("get_my_session", Map.of());
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("a tool call fails promptly").isLessThan(AGENT_PATIENCE);
            assertThat(Json.str(call, "error", "message")).contains("hub unavailable").contains("database");
        }
        FrontLifecycleIT.assertOnlyJsonRpc(f.stdoutLines());
        f.close();

        assertThat(sha256(db)).as("the database file is untouched").isEqualTo(sha);
        assertThat(Files.readString(h.home().resolve("logs/hub.log"))).contains("refusing to start");
        assertThat(h.hubProcesses()).isEmpty();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
