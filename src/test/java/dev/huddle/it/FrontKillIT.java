package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, a front killed mid-answer: the agent's real front ({@code huddle mcp}) is killed with SIGKILL at random
 * points while it pipelines {@code read_my_messages} calls and a peer keeps sending. A message counts as received
 * when its response reached the front's stdout (what the agent reads). The hub commits a delivery only once the front
 * acknowledged that write, so every acknowledged message is received at least once, under its one id; a message
 * whose response was written but whose acknowledgement died with the front comes again (a duplicate by id, which the
 * agent can drop).
 */
@HubTest
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FrontKillIT {
    private static final int KILLS = 50;
    private static final int PER_ROUND = 40; // 2,000 messages over the 50 rounds
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void killNineOfTheReadingFrontLosesNoMessage(TestHome h, @Project("receipts") Path project) throws Exception {
        String session = UUID.randomUUID().toString();
        Map<String, String> env = Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", session);
        SimulatedAgent sender = h.agent(project, "generic", Map.of());
        Map<String, String> acked = new ConcurrentHashMap<>(); // id -> body
        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>()); // every id the agent got on its front's stdout, duplicates kept
        Random random = new Random(16);
        int readsSent = 0;
        long t0 = System.nanoTime();
        for (int round = 0; round < KILLS; round++) {
            RawFront rx = h.rawFront(project, env);
            rx.initialize("claude-code");
            // The agent exists once its front said hello to the hub (initialize no longer waits for that on a busy
            // machine: the front answers it itself); the peer sends while it reads.
            await("the reader's session known to its peer").atMost(T).pollInterval(Duration.ofMillis(20))
                    .until(() -> String.valueOf(sender.call("list_project_sessions", Map.of())).contains(session));
            int r = round;
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int n = 0; n < PER_ROUND; n++) {
                    String body = "round " + r + " message " + n;
                    Map<String, Object> sent = sender.call("send_message", Map.of("target", session, "body", body));
                    assertThat(sent).as("send %s", body).containsEntry("ok", true);
                    acked.put((String) sent.get("message_id"), body);
                }
            }, Thread::startVirtualThread);
            long front = rx.frontPid();
            // reads back to back, up to four in flight, until the kill lands at a random point of the burst
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(5, 400));
            List<Integer> inFlight = new ArrayList<>();
            while (System.nanoTime() < killAt) {
                if (inFlight.size() >= 4) awaitQuietly(rx, inFlight.removeFirst(), killAt);
                inFlight.add(rx.sendToolCall("read_my_messages", Map.of()));
                readsSent++;
            }
            TestHome.kill9(front);
            TestHome.awaitGone(front, Duration.ofSeconds(10));
            await().atMost(T).until(rx::stdoutClosed);
            received.addAll(messageIds(rx.stdoutLines()));
            rx.close();
            sending.get(T.toSeconds(), TimeUnit.SECONDS);
        }

        // a last front reads what is left (the hub releases a killed front's offers as its connection ends); a lost
        // message would never come, so this reads until everything came or 30 s passed
        RawFront last = h.rawFront(project, env);
        last.initialize("claude-code");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (Object m : Json.list(last.tool("read_my_messages", Map.of()), "messages")) received.add(Json.str(m, "id"));
                return new HashSet<>(received).containsAll(acked.keySet());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // counted and reported below
        }
        last.close();

        Set<String> distinct = new HashSet<>(received);
        Set<String> lost = new HashSet<>(acked.keySet());
        lost.removeAll(distinct);
        Set<String> unknown = new HashSet<>(distinct);
        unknown.removeAll(acked.keySet());
        Map<String, Integer> counts = new HashMap<>();
        for (String id : received) counts.merge(id, 1, Integer::sum);
        long duplicated = counts.values().stream().filter(c -> c > 1).count();
        System.out.printf("FrontKillIT: %d kills, %d reads sent, %d sent and acknowledged, %d received (%d distinct), %d lost, "
                        + "%d duplicated (offered again after a kill), %.1f s%n", KILLS, readsSent, acked.size(), received.size(),
                distinct.size(), lost.size(), duplicated, (System.nanoTime() - t0) / 1e9);
        assertThat(acked).hasSize(KILLS * PER_ROUND);
        assertThat(lost).as("acknowledged messages the agent never received").isEmpty();
        assertThat(unknown).as("received ids nobody sent").isEmpty();
    }

    /** Waits for one response until the kill is due (a read the kill cuts short is the point of the test). */
    private static void awaitQuietly(RawFront rx, int id, long killAt) {
        long left = killAt - System.nanoTime();
        if (left <= TimeUnit.MILLISECONDS.toNanos(20)) return; // the wait polls every 10 ms
        try {
            rx.awaitResponse(id, Duration.ofNanos(left));
        } catch (AssertionError notYet) {
            // the kill is due
        }
    }

    /** The ids of the messages in every read_my_messages result among these stdout lines. */
    private static List<String> messageIds(List<String> stdoutLines) {
        List<String> ids = new ArrayList<>();
        for (String line : stdoutLines) {
            Map<String, Object> m;
            try {
                m = Json.object(line);
            } catch (RuntimeException torn) {
                continue; // a line the kill cut in half never reached the agent whole
            }
            String text = Json.str(m, "result", "content", 0, "text");
            if (text == null || !text.contains("\"messages\"")) continue;
            for (Object msg : Json.list(Json.object(text), "messages")) ids.add(Json.str(msg, "id"));
        }
        return ids;
    }
}
