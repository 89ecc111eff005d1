package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.RawHubSocket;
import dev.huddle.it.support.TestHome;
import dev.huddle.protocol.JvmOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging under faults, with a real hub and real front processes: {@code kill -9} of the hub during a burst of
 * 10,000 messages from 20 senders; a crash while a {@code read_my_messages} is in flight; bad input that
 * {@link MessagingIT} does not cover (asks to offline and unbound peers, unknown and malformed ids for every
 * id-taking tool, {@code timeout_ms} of the wrong JSON type), each checked to have stored nothing; and an
 * {@code ask_peer} whose caller cancels or disconnects.
 *
 * <p>The fronts here are driven by {@link Front}, a lean stdio driver (responses complete futures as their line
 * arrives, no polling), so that 20 of them can push thousands of calls through their hub.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MessagingFaultsIT {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    /** The error code {@link Front#text} gives an argument the SDK's schema check refused. */

    private static TestHome home;
    @Project
    private static Path repo;
    private static Front alice;
    private static Front bob;
    private static String aliceSession;
    private static String bobSession;

    @BeforeAll
    static void start() {
        aliceSession = UUID.randomUUID().toString();
        bobSession = UUID.randomUUID().toString();
        alice = Front.claude(home, repo, aliceSession);
        bob = Front.claude(home, repo, bobSession);
        assertThat(alice.tool("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.tool("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
    }

    @AfterAll
    static void stop() {
        for (Front f : new Front[]{alice, bob}) if (f != null) f.close();
    }

    // =============================================================================================================
    // kill -9 of the hub during a burst
    // =============================================================================================================

    /**
     * 20 senders (real fronts, each its own Claude Code session under its own {@code sh}) send 500 messages each
     * to one receiver, sequentially per sender, concurrently across senders. After about 3,000 acknowledged sends
     * the hub is killed with SIGKILL; the senders carry on (their fronts fail the call in flight, start a new hub
     * and reconnect). Then the receiver drains its inbox.
     */
    @Test
    void killNineDuringABurstLosesNothingAcknowledgedAndDeliversItOnce(TestHome h, @Project("burst") Path project) throws Exception {
        final int senders = 20;
        final int perSender = 500;
        final int killAfter = 3_000;
        String sinkSession = UUID.randomUUID().toString();
        Front sink = Front.claude(h, project, sinkSession);
        List<Front> fronts = new ArrayList<>();
        try {
            assertThat(sink.tool("set_my_state", Map.of("name", "sink"))).containsEntry("ok", true);
            long t0 = System.nanoTime();
            List<CompletableFuture<Front>> starting = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                starting.add(CompletableFuture.supplyAsync(() -> Front.claude(h, project, UUID.randomUUID().toString()),
                        Thread::startVirtualThread));
            }
            for (CompletableFuture<Front> f : starting) fronts.add(f.get(90, TimeUnit.SECONDS));
            long startedMs = (System.nanoTime() - t0) / 1_000_000;
            long hubBefore = h.hubPid().orElseThrow();

            Map<String, String> acked = new ConcurrentHashMap<>(); // message id -> body
            Set<String> ackedBodies = ConcurrentHashMap.newKeySet();
            Set<String> erroredBodies = ConcurrentHashMap.newKeySet(); // the call failed: may or may not be stored
            Map<String, String> refused = new ConcurrentHashMap<>(); // body -> error code (a tool error)
            AtomicInteger ackCount = new AtomicInteger();
            AtomicLong killedAtNanos = new AtomicLong();
            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(2)).until(() -> ackCount.get() >= killAfter);
                TestHome.kill9(hubBefore);
                killedAtNanos.set(System.nanoTime());
            }, Thread::startVirtualThread);

            long burst0 = System.nanoTime();
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Front f = fronts.get(s);
                int sender = s;
                running.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; n < perSender; n++) {
                        String body = String.format("burst s%02d n%03d", sender, n);
                        Map<String, Object> resp = f.call("send_message", Map.of("target", sinkSession, "body", body));
                        if (resp.containsKey("error")) {
                            erroredBodies.add(body);
                            continue;
                        }
                        Map<String, Object> r = Front.text(resp);
                        if (Boolean.TRUE.equals(r.get("ok"))) {
                            acked.put((String) r.get("message_id"), body);
                            ackedBodies.add(body);
                            ackCount.incrementAndGet();
                        } else {
                            refused.put(body, String.valueOf(Json.at(r, "error", "code")));
                        }
                    }
                }, Thread::startVirtualThread));
            }
            for (CompletableFuture<Void> r : running) r.get(180, TimeUnit.SECONDS);
            double burstS = (System.nanoTime() - burst0) / 1e9;
            killer.get(5, TimeUnit.SECONDS);
            long hubAfter = h.awaitHub(hubBefore, Duration.ofSeconds(20));
            assertThat(hubAfter).as("a new hub was started by the fronts").isNotEqualTo(hubBefore);
            assertThat(TestHome.alive(hubBefore)).isFalse();

            // The receiver drains its inbox: every message once, oldest first, under its stored id.
            long drain0 = System.nanoTime();
            List<String> delivered = new ArrayList<>();
            Map<String, String> deliveredBodies = new HashMap<>();
            int reads = 0;
            while (true) {
                Map<String, Object> r = sink.tool("read_my_messages", Map.of());
                reads++;
                List<Object> msgs = Json.list(r, "messages");
                for (Object o : msgs) {
                    String id = Json.str(o, "id");
                    delivered.add(id);
                    deliveredBodies.put(id, Json.str(o, "body"));
                }
                if (msgs.isEmpty() && Json.integer(r, "deferred_count") == 0) break;
                assertThat(reads).as("drain terminates").isLessThan(1_000);
            }
            double drainS = (System.nanoTime() - drain0) / 1e9;

            Set<String> unique = new HashSet<>(delivered);
            List<String> dup = delivered.stream().filter(id -> Collections.frequency(delivered, id) > 1).distinct().limit(10).toList();
            Set<String> missing = new HashSet<>(acked.keySet());
            missing.removeAll(unique);
            Set<String> extra = new HashSet<>(unique);
            extra.removeAll(acked.keySet());
            List<String> extraNotErrored = extra.stream().map(deliveredBodies::get).filter(b -> !erroredBodies.contains(b)).toList();

            // The database (read directly) agrees with what was delivered.
            Map<String, String> stored = new HashMap<>(); // id -> body
            int undeliveredInDb;
            try (Connection c = openDb(h)) {
                String sinkAgent = sinkSession; // bound Claude Code agents use their session id as agent id
                for (List<Object> row : query(c, "SELECT id, body FROM messages WHERE recipient_id = ?", sinkAgent)) {
                    stored.put((String) row.get(0), (String) row.get(1));
                }
                undeliveredInDb = ((Number) query(c, "SELECT count(*) FROM messages WHERE recipient_id = ? AND delivered_at IS NULL",
                        sinkAgent).getFirst().getFirst()).intValue();
            }
            Set<String> storedBodies = new HashSet<>(stored.values());
            long erroredStored = erroredBodies.stream().filter(storedBodies::contains).count();
            // And so does the hub's own log (control op "log"): its newest row is the newest stored message.
            Map<String, Object> log = control(h, project, "log", Map.of("limit", 1));
            String report = String.format(
                    "fronts started in %d ms; burst %.1f s (%.0f acknowledged msg/s incl. the kill and restart); killed after %d acks, at %.1f s;"
                            + " acknowledged %d, errored %d (of which stored %d), refused %d %s; delivered %d in %d reads (%.1f s); stored %d",
                    startedMs, burstS, acked.size() / burstS, killAfter, (killedAtNanos.get() - burst0) / 1e9,
                    acked.size(), erroredBodies.size(), erroredStored, refused.size(), refused.values().stream().distinct().toList(),
                    delivered.size(), reads, drainS, stored.size());
            System.out.println("MessagingFaultsIT burst: " + report);

            assertThat(refused).as(report).isEmpty();
            assertThat(acked.size() + erroredBodies.size()).as("every send got an answer").isEqualTo(senders * perSender);
            assertThat(erroredBodies).as("only calls in flight at the kill (and a write to the dead connection) fail")
                    .hasSizeLessThanOrEqualTo(2 * senders);
            assertThat(dup).as("no message delivered twice; " + report).isEmpty();
            assertThat(missing).as("every acknowledged message delivered; " + report).isEmpty();
            assertThat(extraNotErrored).as("anything delivered beyond the acknowledged was an errored send").isEmpty();
            assertThat(stored.keySet()).as("nothing acknowledged that was not stored; the store holds exactly what was delivered")
                    .containsAll(acked.keySet()).isEqualTo(unique);
            assertThat(undeliveredInDb).as("all marked delivered").isZero();
            for (String id : acked.keySet()) assertThat(stored.get(id)).isEqualTo(acked.get(id));
            assertThat(Json.list(log, "result", "messages")).singleElement()
                    .satisfies(m -> assertThat(unique).contains(Json.str(m, "id")));
            assertThat(sink.tool("read_my_messages", Map.of())).containsEntry("count", 0);
        } finally {
            fronts.forEach(Front::close);
            sink.close();
        }
    }

    // =============================================================================================================
    // a crash while a read is in flight
    // =============================================================================================================

    /**
     * The hub is stopped (SIGSTOP) with the receiver's {@code read_my_messages} already written to it, then killed:
     * the read fails at the front, and after the restart the same messages are offered again, under the same ids,
     * once.
     */
    @Test
    void aReadCutShortByACrashIsOfferedAgainWithTheSameIds(TestHome h, @Project("rd") Path project) throws Exception {
        String rxSession = UUID.randomUUID().toString();
        Front tx = Front.claude(h, project, UUID.randomUUID().toString());
        Front rx = Front.claude(h, project, rxSession);
        try {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add((String) tx.tool("send_message", Map.of("target", rxSession, "body", "crash-read " + i)).get("message_id"));
            }
            long hub = h.hubPid().orElseThrow();
            TestHome.signal(hub, "STOP");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestHome.stopped(hub));
            long front = rx.frontPid();
            long written = TestHome.bytesWritten(front);
            CompletableFuture<Map<String, Object>> read = rx.request("tools/call", Map.of("name", "read_my_messages", "arguments", Map.of()));
            // the request is in the hub's socket buffer (or read but not answered): the front has passed it on
            await().atMost(Duration.ofSeconds(10)).until(() -> TestHome.bytesWritten(front) > written);
            assertThat(read).isNotDone();
            TestHome.kill9(hub);
            Map<String, Object> failed = read.get(20, TimeUnit.SECONDS);
            assertThat(failed).as("the front fails the call in flight").containsKey("error");
            assertThat(Json.str(failed, "error", "message")).contains("in flight");

            Map<String, Object> again = rx.tool("read_my_messages", Map.of()); // reconnects, starting a new hub
            assertThat(h.hubPid().orElseThrow()).isNotEqualTo(hub);
            assertThat(Json.list(again, "messages")).extracting(m -> Json.str(m, "id")).containsExactlyElementsOf(sent);
            assertThat(rx.tool("read_my_messages", Map.of())).containsEntry("count", 0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tx.tool("message_status", Map.of("message_id", sent.getFirst())))
                    .containsEntry("status", "delivered").containsEntry("via", "tool"));
        } finally {
            tx.close();
            rx.close();
        }
    }

    // =============================================================================================================
    // bad input: nothing half-stored
    // =============================================================================================================

    @Test
    void askPeerToAnOfflinePeerIsRefusedAndStoresNothing() throws Exception {
        String goneSession = UUID.randomUUID().toString();
        Front gone = Front.claude(home, repo, goneSession);
        assertThat(gone.tool("set_my_state", Map.of("name", "gone"))).containsEntry("ok", true);
        gone.close();
        await().atMost(Duration.ofSeconds(15)).until(() -> !online(alice, goneSession));

        String marker = "offline-ask-" + UUID.randomUUID();
        for (String target : List.of("gone", goneSession, goneSession.substring(0, 8))) {
            Map<String, Object> r = alice.tool("ask_peer", Map.of("target", target, "body", marker, "timeout_ms", 5_000));
            assertThat(errorCode(r)).as(target).isEqualTo("peer-offline");
            assertThat(Json.str(r, "error", "hint")).contains("send_message");
        }
        assertNothingStored(marker);
        try (Connection c = openDb(home)) {
            assertThat(count(c, "SELECT count(*) FROM asks WHERE target_id = ?", goneSession)).isZero();
        }
    }

    @Test
    void askPeerToAnUnboundPeerIsRefusedAndStoresNothing() throws Exception {
        Front anon = Front.start(home, repo, Map.of(), "some-mcp-client"); // no session id anywhere: unbound
        try {
            Map<String, Object> me = anon.tool("get_my_session", Map.of());
            String handle = Json.str(me, "handle");
            assertThat(anon.tool("set_my_state", Map.of("name", "anon"))).containsEntry("ok", true);
            String marker = "unbound-ask-" + UUID.randomUUID();
            for (String target : List.of("anon", handle)) {
                Map<String, Object> r = alice.tool("ask_peer", Map.of("target", target, "body", marker));
                assertThat(errorCode(r)).as("%s (get_my_session: %s)", target, me).isEqualTo("peer-unbound");
                assertThat(Json.str(r, "error", "hint")).contains("send_message");
            }
            assertThat(Json.list(anon.tool("read_my_messages", Map.of()), "messages")).extracting(m -> Json.str(m, "body"))
                    .doesNotContain(marker);
            assertNothingStored(marker);
            try (Connection c = openDb(home)) {
                assertThat(count(c, "SELECT count(*) FROM asks a JOIN messages m ON m.id = a.message_id WHERE m.body = ?", marker)).isZero();
            }
        } finally {
            anon.close();
        }
    }

    /** Every tool that takes a message id refuses malformed ones, and unknown ones where an id must exist. */
    @Test
    void unknownAndMalformedIdsAreRefusedByEveryTool() throws Exception {
        String marker = "bad-id-" + UUID.randomUUID();
        // An open obligation of bob's, which no refused call may close.
        String work = (String) alice.tool("send_message", Map.of("target", "bob", "body", "open work " + UUID.randomUUID(), "action_required", true)).get("message_id");
        drainInbox(bob);
        String unknown = "0123456789abcdef";
        List<Object> malformed = new ArrayList<>(List.of("", "not-an-id", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0",
                " " + unknown, unknown + "\n", "../../../etc/passwd", "0123456789abcdeg", "x".repeat(5000), 1234567890123456L));
        malformed.add(null);
        int n = 0;
        for (Object bad : malformed) {
            String what = "malformed id " + (bad instanceof String s ? Json.write(s.length() > 40 ? s.substring(0, 40) + "…" : s) : bad);
            String body = marker + " " + (n++);
            assertInvalid(bob.tool("reply_to_message", args("message_id", bad, "body", body)), "reply_to_message " + what);
            assertInvalid(alice.tool("message_status", args("message_id", bad)), "message_status " + what);
            assertInvalid(bob.tool("complete_work", args("message_id", bad, "body", body)), "complete_work " + what);
            assertInvalid(bob.tool("block_work", args("message_id", bad, "reason", body)), "block_work " + what);
            if (bad != null) {
                assertInvalid(alice.tool("send_message", args("target", "bob", "body", body, "reply_to", bad)), "send_message reply_to " + what);
                assertInvalid(alice.tool("send_message", args("target", "bob", "body", body, "source_message_id", bad)),
                        "send_message source_message_id " + what);
            }
        }
        // Well-formed but unknown: refused where the id must exist; message_status says "unknown".
        assertThat(errorCode(bob.tool("reply_to_message", Map.of("message_id", unknown, "body", marker)))).isEqualTo("message-not-found");
        assertThat(errorCode(bob.tool("complete_work", Map.of("message_id", unknown, "body", marker)))).isEqualTo("message-not-found");
        assertThat(errorCode(bob.tool("block_work", Map.of("message_id", unknown, "reason", marker)))).isEqualTo("message-not-found");
        assertThat(alice.tool("message_status", Map.of("message_id", unknown))).containsEntry("status", "unknown");
        // Ids that exist but are not the caller's to use.
        assertThat(errorCode(alice.tool("complete_work", Map.of("message_id", work, "body", marker)))).as("alice sent it, bob owes it")
                .isEqualTo("message-not-found");
        assertThat(errorCode(alice.tool("reply_to_message", Map.of("message_id", work, "body", marker)))).isEqualTo("message-not-found");
        assertThat(bob.tool("message_status", Map.of("message_id", work))).as("only the sender sees a status").containsEntry("status", "unknown");
        // A required id left out.
        assertInvalid(bob.tool("complete_work", Map.of("body", marker)), "complete_work without message_id");
        assertInvalid(alice.tool("message_status", Map.of()), "message_status without message_id");

        // Nothing of it was stored, and bob's obligation is still open.
        assertNothingStored(marker);
        assertThat(Json.list(alice.tool("read_my_messages", Map.of()), "messages")).extracting(m -> Json.str(m, "body"))
                .noneMatch(b -> b.contains(marker));
        assertThat(Json.list(bob.tool("my_open_work", Map.of()), "open")).extracting(o -> Json.str(o, "message_id")).contains(work);
        assertThat(bob.tool("complete_work", Map.of("message_id", work, "body", "done"))).containsEntry("obligation_state", "done");
        drainInbox(alice);
    }

    /**
     * {@code timeout_ms} is an integer in the tool's schema. A string, a fraction or a boolean must be refused
     * before anything is stored, and must not silently turn into the default (60 s) wait.
     */
    @Test
    void aTimeoutOfTheWrongTypeIsRefused() throws Exception {
        String marker = "bad-timeout-" + UUID.randomUUID();
        List<Object> wrong = List.of("5000", 1500.5, true, Map.of("ms", 5), List.of(5000));
        for (Object t : wrong) {
            long t0 = System.nanoTime();
            Map<String, Object> resp = alice.call("ask_peer", args("target", "bob", "body", marker + " " + t, "timeout_ms", t));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("timeout_ms %s answered at once, not after a default wait", Json.write(t)).isLessThan(5_000);
            assertThat(isRefusal(resp)).as("timeout_ms %s is refused: %s", Json.write(t), resp).isTrue();
            assertThat(Json.write(resp)).as("the refusal names the argument").contains("timeout_ms");
        }
        assertNothingStored(marker);
        assertThat(Json.list(bob.tool("read_my_messages", Map.of()), "messages")).extracting(m -> Json.str(m, "body"))
                .noneMatch(b -> b.startsWith(marker));
    }

    // =============================================================================================================
    // ask_peer: cancellation and disconnect
    // =============================================================================================================

    /**
     * The asker sends {@code notifications/cancelled} for its ask: the hub's wait ends at once, the ask stays
     * pending, and bob's later reply is delivered normally, through read_my_messages, to the same agent.
     */
    @Test
    void aCancelledAskEndsTheWaitAndTheReplyArrivesNormally() throws Exception {
        String askerSession = UUID.randomUUID().toString();
        Front asker = Front.claude(home, repo, askerSession);
        try {
            String marker = "cancel-me-" + UUID.randomUUID();
            CompletableFuture<Map<String, Object>> ask = asker.request("tools/call", Map.of("name", "ask_peer",
                    "arguments", Map.of("target", "bob", "body", marker, "timeout_ms", 60_000)));
            long askId = asker.lastId();
            Map<String, Object> question = awaitQuestion(bob, marker);
            assertThat(ask).isNotDone();
            long t0 = System.nanoTime();
            asker.notify("notifications/cancelled", Map.of("requestId", askId, "reason", "the user pressed Esc"));
            // The hub answers the cancelled call (or, as MCP allows, says nothing): either way within moments, not 60 s.
            Map<String, Object> answer = null;
            try {
                answer = ask.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException silent) {
                // no response to a cancelled request is allowed too; the reply routing below proves the wait ended
            }
            long endedMs = (System.nanoTime() - t0) / 1_000_000;
            if (answer != null) {
                Map<String, Object> r = Front.text(answer);
                assertThat(r).containsEntry("timed_out", true);
                assertThat(Json.str(r, "note")).contains("cancelled");
                assertThat(r.get("reply")).isNull();
            }
            Map<String, Object> reply = bob.tool("reply_to_message", Map.of("message_id", Json.str(question, "id"), "body", "answer to " + marker));
            assertThat(reply).containsEntry("correlation", "correlated").containsEntry("reply_to", Json.str(question, "request_id"));
            List<Object> got = Json.list(asker.tool("read_my_messages", Map.of()), "messages");
            assertThat(got).as("the wait ended %d ms after the cancel (response: %s)", endedMs, answer).singleElement()
                    .satisfies(m -> {
                        assertThat(Json.str(m, "id")).isEqualTo(reply.get("message_id"));
                        assertThat(Json.str(m, "reply_to")).isEqualTo(Json.str(question, "request_id"));
                    });
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bob.tool("message_status",
                    Map.of("message_id", reply.get("message_id")))).containsEntry("status", "delivered").containsEntry("via", "tool"));
        } finally {
            asker.close();
        }
    }

    /**
     * The asker's front dies (kill -9) while its ask waits: the hub ends the wait when the connection goes, and a
     * reply that comes later reaches a new front of the same agent through read_my_messages.
     */
    @Test
    void aDisconnectedAskEndsTheWaitAndANewFrontOfTheAgentGetsTheReply() throws Exception {
        String askerSession = UUID.randomUUID().toString();
        Front asker = Front.claude(home, repo, askerSession);
        Front again = null;
        try {
            String marker = "disconnect-me-" + UUID.randomUUID();
            asker.request("tools/call", Map.of("name", "ask_peer", "arguments", Map.of("target", "bob", "body", marker, "timeout_ms", 60_000)));
            Map<String, Object> question = awaitQuestion(bob, marker);
            int frontsBefore = connectedFronts(); // the asker's front is connected now: its ask reached bob
            TestHome.kill9(asker.frontPid());
            // The hub lets calls of a closed connection finish for a few seconds, then interrupts them; the front
            // counts as connected until then. Its going is the sign that the ask's wait is over.
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> connectedFronts() < frontsBefore);
            long endedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(endedMs).as("the wait ends long before its 60 s timeout").isLessThan(15_000);

            Map<String, Object> reply = bob.tool("reply_to_message", Map.of("message_id", Json.str(question, "id"), "body", "late " + marker));
            assertThat(reply).containsEntry("correlation", "correlated");
            again = Front.claude(home, repo, askerSession);
            List<Object> got = Json.list(again.tool("read_my_messages", Map.of()), "messages");
            assertThat(got).singleElement().satisfies(m -> {
                assertThat(Json.str(m, "id")).isEqualTo(reply.get("message_id"));
                assertThat(Json.str(m, "reply_to")).isEqualTo(Json.str(question, "request_id"));
                assertThat(Json.str(m, "body")).isEqualTo("late " + marker);
            });
            assertThat(again.tool("read_my_messages", Map.of())).containsEntry("count", 0);
        } finally {
            asker.close();
            if (again != null) again.close();
        }
    }

    // =============================================================================================================
    // helpers
    // =============================================================================================================

    /** A map that, unlike Map.of, takes null values (a JSON null argument). */
    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static String errorCode(Map<String, Object> r) {
        assertThat(r).as("an error result").containsEntry("ok", false);
        return Json.str(r, "error", "code");
    }

    /** Refused as invalid: by huddle (invalid-argument) or, for a JSON type the schema does not allow, by the SDK. */
    static void assertInvalid(Map<String, Object> r, String what) {
        assertThat(r).as(what).containsEntry("ok", false);
        assertThat(Json.str(r, "error", "code")).as(what + ": " + r).isEqualTo("invalid-argument");
    }

    /** A JSON-RPC error, or a tool result with isError. */
    static boolean isRefusal(Map<String, Object> response) {
        if (response.containsKey("error")) return true;
        return Boolean.TRUE.equals(Json.at(response, "result", "isError"));
    }

    static boolean online(Front viewer, String session) {
        for (Object s : Json.list(viewer.tool("list_project_sessions", Map.of()), "sessions")) {
            if (session.equals(Json.str(s, "session_id"))) return Boolean.TRUE.equals(Json.at(s, "online"));
        }
        return false;
    }

    static Map<String, Object> awaitQuestion(Front reader, String body) {
        return await("a message '" + body + "'").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Json.list(reader.tool("read_my_messages", Map.of()), "messages").stream()
                        .filter(m -> body.equals(Json.str(m, "body"))).findFirst().map(m -> Json.map(m)).orElse(null), Objects::nonNull);
    }

    static void drainInbox(Front f) {
        for (int i = 0; i < 100 && Json.integer(f.tool("read_my_messages", Map.of()), "count") > 0; i++) {
            // empty it
        }
    }

    int connectedFronts() {
        return Json.integer(control(home, repo, "status", Map.of()), "result", "connected_fronts");
    }

    /** Neither the hub's log (a full-text search over every project) nor the database holds a message with this text. */
    static void assertNothingStored(String marker) throws SQLException {
        Map<String, Object> log = control(home, repo, "log", Map.of("all", true, "grep", marker, "limit", 1000));
        assertThat(Json.list(log, "result", "messages")).as("huddle log --grep %s", marker).isEmpty();
        try (Connection c = openDb(home)) {
            assertThat(count(c, "SELECT count(*) FROM messages WHERE instr(body, ?) > 0", marker)).as("rows with %s", marker).isZero();
        }
    }

    static Map<String, Object> control(TestHome h, Path cwd, String op, Map<String, Object> args) {
        Map<String, Object> hello = RawHubSocket.hello("control");
        hello.put("op", op);
        hello.put("args", args);
        hello.put("cwd", cwd.toString());
        try (RawHubSocket s = RawHubSocket.connect(h.paths().mcpSocket())) {
            s.sendLine(Json.write(hello));
            Map<String, Object> r = s.readJson(Duration.ofSeconds(20));
            assertThat(r).as("control %s", op).containsEntry("ok", true);
            return r;
        }
    }

    static Connection openDb(TestHome h) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + h.paths().database());
        return c;
    }

    static List<List<Object>> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(cols);
                    for (int k = 1; k <= cols; k++) row.add(rs.getObject(k));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    static int count(Connection c, String sql, Object... params) throws SQLException {
        return ((Number) query(c, sql, params).getFirst().getFirst()).intValue();
    }

    /**
     * {@code huddle mcp} under its own {@code sh} (the agent process), driven over stdio. Each request's response
     * completes a future the moment its line arrives.
     */
    static final class Front implements AutoCloseable {
        private final Process sh;
        private final OutputStream stdin;
        private final Map<Long, CompletableFuture<Map<String, Object>>> waiting = new ConcurrentHashMap<>();
        private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong ids = new AtomicLong();
        private volatile long lastId;

        private Front(Process sh) {
            this.sh = sh;
            this.stdin = sh.getOutputStream();
            Thread.ofVirtual().start(this::readStdout);
            Thread.ofVirtual().start(this::readStderr);
        }

        /** A Claude Code session (bound by CLAUDE_CODE_SESSION_ID), initialized. */
        static Front claude(TestHome h, Path cwd, String sessionId) {
            return start(h, cwd, Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sessionId), "claude-code");
        }

        static Front start(TestHome h, Path cwd, Map<String, String> agentEnv, String clientName) {
            List<String> java = new ArrayList<>();
            java.add(TestHome.java());
            java.addAll(JvmOptions.COMMON);
            java.addAll(JvmOptions.FRONT);
            java.add("-jar");
            java.add(TestHome.jar().toString());
            java.add("mcp");
            String script = "cd '" + cwd + "' && " + String.join(" ", java) + "; exit $?";
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).directory(cwd.toFile());
            pb.environment().clear();
            pb.environment().putAll(h.env());
            pb.environment().putAll(agentEnv);
            Front f;
            try {
                f = new Front(pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                Map<String, Object> init = f.request("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", clientName, "version", "1.0.0"))).get(60, TimeUnit.SECONDS);
                if (!init.containsKey("result")) throw new AssertionError("initialize failed: " + init);
                f.notify("notifications/initialized", null);
                return f;
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                f.close();
                throw new AssertionError("front did not initialize; stderr: " + f.stderr, e);
            }
        }

        CompletableFuture<Map<String, Object>> request(String method, Object params) {
            long id = ids.incrementAndGet();
            CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
            waiting.put(id, f);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jsonrpc", "2.0");
            m.put("id", id);
            m.put("method", method);
            if (params != null) m.put("params", params);
            lastId = id;
            write(Json.write(m));
            return f;
        }

        long lastId() {
            return lastId;
        }

        void notify(String method, Object params) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jsonrpc", "2.0");
            m.put("method", method);
            if (params != null) m.put("params", params);
            write(Json.write(m));
        }

        /** tools/call; the JSON-RPC response (result or error). */
        Map<String, Object> call(String tool, Map<String, Object> args) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("name", tool);
            params.put("arguments", args);
            try {
                return request("tools/call", params).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new AssertionError(tool + " got no response within " + CALL_TIMEOUT + "; stderr: " + stderr, e);
            }
        }

        /** tools/call that must not be a JSON-RPC error; its JSON text result (ok or a tool error). */
        Map<String, Object> tool(String tool, Map<String, Object> args) {
            return text(call(tool, args));
        }

        /** The tool's JSON result (huddle answers schema mismatches with its own structured errors too). */
        static Map<String, Object> text(Map<String, Object> response) {
            if (response.containsKey("error")) throw new AssertionError("JSON-RPC error instead of a tool result: " + response);
            return Json.object(Json.str(response, "result", "content", 0, "text"));
        }

        long frontPid() {
            await().atMost(Duration.ofSeconds(10)).until(() -> sh.toHandle().children().findAny().isPresent());
            return sh.toHandle().children().findFirst().orElseThrow().pid();
        }

        private synchronized void write(String line) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the front's stdin is closed; stderr: " + stderr, e);
            }
        }

        private void readStdout() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Map<String, Object> m;
                    try {
                        m = Json.object(line);
                    } catch (RuntimeException notJson) {
                        stderr.add("non-JSON stdout line: " + line);
                        continue;
                    }
                    if (m.get("id") instanceof Number n && !m.containsKey("method")) {
                        CompletableFuture<Map<String, Object>> f = waiting.remove(n.longValue());
                        if (f != null) f.complete(m);
                    }
                }
            } catch (IOException ignored) {
                // gone
            }
            waiting.values().forEach(f -> f.completeExceptionally(new IOException("the front's stdout closed")));
        }

        private void readStderr() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(sh.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (stderr.size() < 200) stderr.add(line);
                }
            } catch (IOException ignored) {
                // gone
            }
        }

        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // closed
            }
            sh.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            sh.destroyForcibly();
            try {
                sh.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
