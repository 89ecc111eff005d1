package dev.huddle.it;

import dev.huddle.tools.demo.SimulatedAgent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of send_message calls from one machine's agents to another's, read by the receivers while it runs, with a
 * fault injected mid-burst; then the receivers drain their inboxes and the counts are compared with the rows stored.
 * Each sender sends until {@code perSender} of its sends were acknowledged; a failed send (an error result, or the
 * call failing because its hub died) is counted and the sender pauses briefly before the next, as an agent that
 * retries does. Bodies are unique per attempt, so an errored send that was stored anyway shows.
 */
final class SharedBurst {
    /** An agent and the name others reach it by. */
    record Named(String name, SimulatedAgent agent) {}

    /** What happened, counted. */
    record Counts(int attempted, int acknowledged, int degraded, int otherErrors, int stored, int delivered, int deliveredUnique,
                  int lost, int duplicated, int erroredButStored, int readErrors, List<String> errorSamples) {
        int failed() {
            return degraded + otherErrors;
        }

        @Override
        public String toString() {
            return String.format("sent %d, acknowledged %d, store-degraded %d, other errors %d, stored %d, delivered %d (%d distinct),"
                            + " lost %d, duplicated %d, errored but stored %d, failed reads %d; errors seen: %s",
                    attempted, acknowledged, degraded, otherErrors, stored, delivered, deliveredUnique, lost, duplicated,
                    erroredButStored, readErrors, errorSamples);
        }
    }

    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final String tag;
    private final List<Named> senders;
    private final List<Named> receivers;
    private final int perSender;
    private final Map<String, String> acked = new ConcurrentHashMap<>(); // message id -> body
    private final Set<String> degraded = ConcurrentHashMap.newKeySet(); // bodies
    /** Bodies whose error said "nothing was written": none of them may be stored. */
    private final Set<String> saidNothingWritten = ConcurrentHashMap.newKeySet();
    private final Map<String, String> otherErrors = new ConcurrentHashMap<>(); // body -> what
    private final ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>(); // ids, as read
    private final Map<String, String> deliveredBodies = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger readErrors = new AtomicInteger();
    private final Set<String> errorSamples = ConcurrentHashMap.newKeySet();

    SharedBurst(String tag, List<Named> senders, List<Named> receivers, int perSender) {
        this.tag = tag;
        this.senders = senders;
        this.receivers = receivers;
        this.perSender = perSender;
    }

    int acknowledged() {
        return acked.size();
    }

    int failed() {
        return degraded.size() + otherErrors.size();
    }

    /**
     * Runs the burst with the receivers reading all along; {@code fault} runs (on its own thread) once
     * {@code faultAfter} sends were acknowledged. Returns when every sender has its acknowledgements and the fault
     * is over.
     */
    void run(int faultAfter, Runnable fault) throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (Named r : receivers) readers.add(CompletableFuture.runAsync(() -> {
            while (sending.get()) readOnce(r.agent());
        }, Thread::startVirtualThread));
        CompletableFuture<Void> faulted = CompletableFuture.runAsync(() -> {
            await("acknowledged sends before the fault").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(5))
                    .until(() -> acked.size() >= faultAfter);
            fault.run();
        }, Thread::startVirtualThread);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int s = 0; s < senders.size(); s++) {
            int sender = s;
            running.add(CompletableFuture.runAsync(() -> send(sender), Thread::startVirtualThread));
        }
        try {
            for (CompletableFuture<Void> r : running) r.get(240, TimeUnit.SECONDS);
            faulted.get(240, TimeUnit.SECONDS);
        } finally {
            sending.set(false);
            for (CompletableFuture<Void> r : readers) r.get(120, TimeUnit.SECONDS);
        }
    }

    private void send(int sender) {
        SimulatedAgent me = senders.get(sender).agent();
        int mine = 0;
        for (int n = 0; mine < perSender; n++) {
            assertThat(n).as("sender %d keeps failing", sender).isLessThan(perSender * 20);
            String body = String.format("%s s%d n%04d", tag, sender, n);
            String to = receivers.get(n % receivers.size()).name();
            attempts.incrementAndGet();
            Map<String, Object> r;
            try {
                r = me.call("send_message", Map.of("target", to, "body", body));
            } catch (RuntimeException callFailed) { // the front answered with a JSON-RPC error: its hub went away
                otherErrors.put(body, "call failed: " + callFailed.getMessage());
                sample(callFailed.getMessage());
                LockSupport.parkNanos(RETRY_PAUSE.toNanos()); // an agent's pause before it retries
                continue;
            }
            if (Boolean.TRUE.equals(r.get("ok"))) {
                acked.put((String) r.get("message_id"), body);
                mine++;
                continue;
            }
            String code = String.valueOf(r.get("error") instanceof Map<?, ?> e ? e.get("code") : r);
            if (String.valueOf(r.get("error")).contains("nothing was written")) saidNothingWritten.add(body);
            if ("store-degraded".equals(code)) degraded.add(body);
            else otherErrors.put(body, code);
            sample(code + ": " + (r.get("error") instanceof Map<?, ?> e ? e.get("message") : r));
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
    }

    private void sample(String what) {
        if (errorSamples.size() < 4) errorSamples.add(String.valueOf(what).lines().findFirst().orElse("").replaceAll("\\s+", " "));
    }

    /** One read_my_messages; returns how many messages it returned plus how many it deferred (-1 when it failed). */
    @SuppressWarnings("unchecked")
    private int readOnce(SimulatedAgent r) {
        Map<String, Object> got;
        try {
            got = r.call("read_my_messages", Map.of());
        } catch (RuntimeException e) {
            readErrors.incrementAndGet();
            return -1;
        }
        if (!Boolean.TRUE.equals(got.get("ok"))) {
            readErrors.incrementAndGet();
            return -1;
        }
        List<Map<String, Object>> msgs = (List<Map<String, Object>>) got.get("messages");
        for (Map<String, Object> m : msgs) {
            String id = (String) m.get("id");
            delivered.add(id);
            deliveredBodies.put(id, (String) m.get("body"));
        }
        return msgs.size() + ((Number) got.getOrDefault("deferred_count", 0)).intValue();
    }

    /** Reads until every receiver's inbox is empty (a failing read is tried again, the store may still recover). */
    void drain() {
        for (Named r : receivers) {
            await(r.name() + "'s inbox drained").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> readOnce(r.agent()) == 0);
        }
    }

    /**
     * The counts against the rows the database holds ({@code stored}: message id -> body of this burst's messages).
     */
    Counts counts(Supplier<Map<String, String>> stored) {
        Map<String, String> rows = stored.get();
        List<String> all = new ArrayList<>(delivered);
        Set<String> unique = new HashSet<>(all);
        Set<String> lost = new HashSet<>(acked.keySet());
        lost.removeAll(unique);
        Set<String> notStored = new HashSet<>(acked.keySet());
        notStored.removeAll(rows.keySet());
        lost.addAll(notStored);
        Set<String> storedBodies = new HashSet<>(rows.values());
        int erroredStored = (int) (degraded.stream().filter(storedBodies::contains).count()
                + otherErrors.keySet().stream().filter(storedBodies::contains).count());
        return new Counts(attempts.get(), acked.size(), degraded.size(), otherErrors.size(), rows.size(), all.size(), unique.size(),
                lost.size(), all.size() - unique.size(), erroredStored, readErrors.get(), List.copyOf(errorSamples));
    }

    /** Nothing acknowledged lost, nothing delivered twice, nothing delivered that is not stored, every stored row delivered. */
    void assertExactlyOnce(Counts c, Map<String, String> rows) {
        assertThat(c.acknowledged()).as(c.toString()).isEqualTo(senders.size() * perSender);
        assertThat(c.lost()).as("nothing acknowledged lost: " + c).isZero();
        assertThat(c.duplicated()).as("nothing delivered twice: " + c).isZero();
        assertThat(new HashSet<>(delivered)).as("delivered = stored: " + c).isEqualTo(rows.keySet());
        Map<String, String> ackedBodies = new HashMap<>(acked);
        for (Map.Entry<String, String> e : ackedBodies.entrySet()) assertThat(rows.get(e.getKey())).isEqualTo(e.getValue());
        for (String id : rows.keySet()) assertThat(deliveredBodies.get(id)).isEqualTo(rows.get(id));
        Set<String> falselyNothing = new HashSet<>(rows.values());
        falselyNothing.retainAll(saidNothingWritten);
        assertThat(falselyNothing).as("an error that said 'nothing was written' was true: " + c).isEmpty();
    }
}
