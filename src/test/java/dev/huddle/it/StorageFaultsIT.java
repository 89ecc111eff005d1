package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHome.Result;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, storage that heals itself: a home on a small tmpfs that fills up (the hub degrades, says so, and recovers
 * by itself once space comes back, losing nothing it acknowledged), and a database whose pages are overwritten (the hub
 * refuses to serve and says how out; {@code hub stop} stops a hub that does not answer; {@code hub recover} salvages
 * the rest and keeps the damaged file).
 */
@HubTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StorageFaultsIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String BODY = "a report that takes room on the disk ".repeat(200); // about 7 KB

    @Test
    void aFullDiskDegradesTheHubWhichHealsByItselfAndLosesNothingAcknowledged() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs takes root");
        Path mount = Files.createTempDirectory(Path.of("/tmp"), "hfull");
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", mount.toString()).inheritIO().start();
        Assumptions.assumeTrue(m.waitFor() == 0, "mount -t tmpfs failed");
        TestHome h = TestHome.at(mount);
        try {
            Path cwd = h.newProject("full");
            String rxSession = UUID.randomUUID().toString();
            SimulatedAgent rx = h.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", rxSession));
            SimulatedAgent tx = h.agent(cwd, "generic", Map.of());
            Set<String> acked = new HashSet<>();
            for (int i = 0; i < 40; i++) assertThat(send(tx, rxSession, "before " + i, acked)).isNull();

            Path filler = mount.resolve("filler");
            fill(filler);
            int failed = 0;
            String code = null;
            for (int i = 0; i < 3000 && failed < 5; i++) { // the WAL reuses its room for a while: write until it must grow
                String c = send(tx, rxSession, "while full " + i, acked);
                if (c != null) {
                    failed++;
                    code = c;
                }
            }
            assertThat(failed).as("sends fail once the disk is full").isEqualTo(5);
            assertThat(code).isEqualTo("store-degraded");
            Map<String, Object> status = h.cli("hub", "status", "--json").json();
            assertThat(status).containsEntry("storage", "degraded");
            assertThat(Json.str(status, "storage_reason")).contains("is full");
            Result doctor = h.cli("doctor");
            assertThat(doctor.stdout()).contains("storage degraded").contains("Free space");
            Result frame = h.cli(cwd, "watch", "--once", "--size", "120x30");
            assertThat(frame.stdout()).contains("storage degraded");

            Files.delete(filler); // space comes back: no restart, no command
            long freed = System.nanoTime();
            await().atMost(T).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(h.cli("hub", "status", "--json").json()).containsEntry("storage", "ok"));
            double healedIn = (System.nanoTime() - freed) / 1e9;
            for (int i = 0; i < 40; i++) assertThat(send(tx, rxSession, "after " + i, acked)).isNull();

            List<String> received = new ArrayList<>();
            while (true) {
                List<Object> batch = Json.list(rx.call("read_my_messages", Map.of()), "messages");
                if (batch.isEmpty()) break;
                for (Object msg : batch) received.add(Json.str(msg, "id"));
            }
            System.out.printf("StorageFaultsIT: %d acknowledged (%d failed while full), %d received, ok again %.1f s after space came back%n",
                    acked.size(), failed, received.size(), healedIn);
            assertThat(received).as("every acknowledged message once, nothing that failed").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(acked);
        } finally {
            h.close();
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
            Files.deleteIfExists(mount);
        }
    }

    /** Sends one message; returns null when acknowledged (its id added to {@code acked}), else the error code. */
    private static String send(SimulatedAgent tx, String to, String what, Set<String> acked) {
        Map<String, Object> r = tx.call("send_message", Map.of("target", to, "body", what + ": " + BODY));
        if (Boolean.TRUE.equals(r.get("ok"))) {
            acked.add((String) r.get("message_id"));
            return null;
        }
        return Json.str(r, "error", "code");
    }

    private static void fill(Path filler) {
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // no space left on device
        }
    }

    @Test
    void aCorruptDatabaseIsRefusedAStuckHubIsStoppedAndRecoverKeepsWhatIsReadable(TestHome h) throws Exception {
        Path cwd = h.newProject("corrupt");
        SimulatedAgent tx = h.agent(cwd, "generic", Map.of());
        assertThat(tx.call("set_my_state", Map.of("name", "writer"))).containsEntry("ok", true);
        String rxSession = UUID.randomUUID().toString();
        SimulatedAgent rx = h.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", rxSession));
        assertThat(rx.call("set_my_state", Map.of("name", "reader"))).containsEntry("ok", true);
        for (int i = 0; i < 600; i++) assertThat(send(tx, rxSession, "kept " + i, new HashSet<>())).isNull();
        tx.close();
        rx.close();

        // a hub that holds hub.lock but does not answer (stopped): hub stop still stops it
        long stuck = h.awaitHub(null, T);
        TestHome.signal(stuck, "STOP");
        await().atMost(T).until(() -> TestHome.stopped(stuck));
        Result stop = h.cli("hub", "stop");
        assertThat(stop.exit()).as("%s", stop).isZero();
        assertThat(stop.stdout()).contains("hub stopped (pid " + stuck).contains("signalled");
        TestHome.awaitGone(stuck, T);

        h.startHub(); // and stopped cleanly: the WAL is checkpointed, the file holds everything
        h.stopHub();
        Path db = h.home().resolve("huddle.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) { // pages of the messages table, not the header
            long pages = f.length() / 4096;
            byte[] junk = new byte[4096];
            new java.util.Random(5).nextBytes(junk);
            for (long p = pages / 2; p < pages / 2 + 4; p++) {
                f.seek(p * 4096);
                f.write(junk);
            }
        }
        byte[] damaged = Files.readAllBytes(db);

        // the hub starts (the header is fine), finds the damage at once and refuses to serve; later starts refuse
        await().atMost(T).untilAsserted(() -> {
            Result ps = h.cli(cwd, "ps", "--json");
            assertThat(ps.exit()).as("%s", ps).isEqualTo(1);
            assertThat(ps.stderr()).contains("corrupt").contains("huddle hub recover");
        });
        assertThat(h.hubProcesses()).isEmpty();
        assertThat(h.home().resolve("huddle.db.corrupt")).exists();
        assertThat(Files.readAllBytes(db)).as("the damaged file is left as it is").isEqualTo(damaged);
        assertThat(Files.readString(h.home().resolve("logs/hub.log"))).contains("refusing to serve").contains("huddle hub recover");

        Result recover = h.cli("hub", "recover");
        assertThat(recover.exit()).as("%s", recover).isZero();
        assertThat(recover.stdout()).contains("messages").contains("rows kept").contains("the damaged file is kept as");
        Path kept;
        try (var files = Files.list(h.home())) {
            kept = files.filter(p -> p.getFileName().toString().matches("huddle\\.db\\.corrupt-[0-9-]+")).findFirst().orElseThrow(); // not its -wal, -shm
        }
        assertThat(Files.readAllBytes(kept)).as("kept byte for byte").isEqualTo(damaged);
        assertThat(h.home().resolve("huddle.db.corrupt")).doesNotExist();

        Result ps = h.cli(cwd, "ps", "--json");
        assertThat(ps.exit()).as("%s", ps).isZero();
        assertThat(ps.stdout()).contains("\"name\":\"writer\"").contains("\"name\":\"reader\"");
        // the reader, back, gets what was salvaged of its mail (through its front: the messages are deliverable)
        SimulatedAgent back = h.agent(cwd, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", rxSession));
        assertThat(Json.str(back.call("get_my_session", Map.of()), "name")).isEqualTo("reader");
        Set<String> salvaged = new HashSet<>();
        while (true) {
            List<Object> batch = Json.list(back.call("read_my_messages", Map.of()), "messages");
            if (batch.isEmpty()) break;
            for (Object msg : batch) if (Json.str(msg, "body").startsWith("kept ")) salvaged.add(Json.str(msg, "id"));
        }
        System.out.printf("StorageFaultsIT: %d of 600 messages salvaged%n", salvaged.size());
        assertThat(salvaged.size()).as("%s", recover.stdout()).isGreaterThan(300).isLessThanOrEqualTo(600);
        assertThat(h.cli("hub", "status", "--json").json()).containsEntry("storage", "ok").containsEntry("database_check", "ok");
    }
}
