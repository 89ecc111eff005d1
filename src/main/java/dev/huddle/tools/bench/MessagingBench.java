package dev.huddle.tools.bench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.LogPage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The messaging figures of {@code huddle bench} (group {@code messaging}), on one private hub:
 * <ol>
 *   <li>{@code send_message} round trip through a real front;</li>
 *   <li>{@code ask_peer} overhead when the peer answers at once (ask total minus the peer's own time);</li>
 *   <li>durable messages per second from 20 concurrent senders, and whether any was lost;</li>
 *   <li>{@code read_my_messages} through a real front with a 10,000-message backlog.</li>
 * </ol>
 * Real fronts run under their own {@code sh} (the agent process), so each is its own Claude Code session (bound by
 * {@code CLAUDE_CODE_SESSION_ID}). The peer and the 20 raw senders are {@link McpSocketClient}s: the hub's MCP path
 * without a front JVM each.
 */
final class MessagingBench {
    /** Sample sizes. */
    record Sizes(int sends, int asks, int senders, int perSender, int throughputRuns, int backlogReads, int warmups) {
        static final Sizes FULL = new Sizes(500, 100, 20, 500, 3, 50, 30);
        static final Sizes QUICK = new Sizes(30, 10, 20, 25, 1, 5, 5);
    }

    private static final long CALL_TIMEOUT_MS = 30_000;

    private final Path jar;
    private final List<String> frontCommand;
    private final PrivateHub hub;
    private final Path home;
    private final Path project;
    private final Path frontErr;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Process> track;
    private final Consumer<Figure> put;
    private final List<AutoCloseable> open = new ArrayList<>();

    MessagingBench(Path jar, List<String> frontCommand, PrivateHub hub, Path home, Path project, Path frontErr,
                   boolean quick, PrintStream progress, Consumer<Process> track, Consumer<Figure> put) {
        this.jar = jar;
        this.frontCommand = frontCommand;
        this.hub = hub;
        this.home = home;
        this.project = project;
        this.frontErr = frontErr;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.track = track;
        this.put = put;
    }

    void run() throws IOException {
        try {
            String receiverSession = UUID.randomUUID().toString();
            ShellFront receiver = front(receiverSession);
            ShellFront sender = front(UUID.randomUUID().toString());
            sendRoundTrip(sender, receiverSession);
            receiver.drain();
            askOverhead(sender);
            receiver.drain();
            throughputAndBacklog(receiver, receiverSession);
            throughputThroughRealFronts(receiver, receiverSession);
        } finally {
            for (AutoCloseable c : open.reversed()) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the hub goes next
                }
            }
        }
    }

    // ---- 1. send_message round trip -------------------------------------------------------------------------

    private void sendRoundTrip(ShellFront sender, String target) throws IOException {
        progress.println("bench: send_message round trip through a real front, " + sizes.sends() + " calls");
        List<Double> rtt = new ArrayList<>();
        for (int i = -sizes.warmups(); i < sizes.sends(); i++) {
            String args = "{\"target\":" + MiniJson.write(target) + ",\"body\":"
                    + MiniJson.write("round trip " + i + ": the build is green again, rebase onto main when you can") + "}";
            long t0 = System.nanoTime();
            Map<String, Object> r = sender.tool("send_message", args);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!Boolean.TRUE.equals(r.get("ok"))) throw new IOException("send_message failed: " + r);
            if (i >= 0) rtt.add(ms);
        }
        put.accept(Figure.measured("msg_send_rtt_ms", "send_message round trip (real front)", "ms", Stats.of(rtt), 3.0,
                "agent stdin -> front -> hub (resolve target, insert + commit) -> front -> stdout; a ~80-byte body, after "
                        + sizes.warmups() + " warm-up calls"));
    }

    // ---- 2. ask_peer overhead -------------------------------------------------------------------------------

    private record PeerTiming(long noticedNanos, long replySentNanos, int retries) {}

    /**
     * The asker is a real front. The peer is a socket session driven by a thread here that learns of the question
     * push-style (a {@code log} control request with {@code wait_ms}, which the hub answers the moment the ask is
     * committed), reads it with read_my_messages and answers with reply_to_message at once. Overhead = ask round
     * trip minus the peer's own time (from being told of the question to sending its reply).
     */
    private void askOverhead(ShellFront asker) throws IOException {
        progress.println("bench: ask_peer with a peer that answers at once, " + sizes.asks() + " asks");
        String peerSession = UUID.randomUUID().toString();
        McpSocketClient peer = rawSession(peerSession, 0);
        Map<String, PeerTiming> timings = new ConcurrentHashMap<>();
        AtomicInteger peerErrors = new AtomicInteger();
        AtomicLong lastSeq = new AtomicLong();
        volatileStop = false;
        Thread peerThread = Thread.ofPlatform().name("bench-peer").start(() -> {
            while (!volatileStop) {
                try {
                    List<LogPage.Entry> rows = waitForQuestions(lastSeq);
                    if (rows.isEmpty()) continue;
                    long noticed = System.nanoTime();
                    for (LogPage.Entry row : rows) lastSeq.set(Math.max(lastSeq.get(), row.seq()));
                    Map<String, Object> read = peer.tool("read_my_messages", "{}", CALL_TIMEOUT_MS);
                    for (Object o : (List<?>) read.get("messages")) {
                        Map<?, ?> m = (Map<?, ?>) o;
                        String body = String.valueOf(m.get("body"));
                        if (!body.startsWith("qtok ")) continue;
                        long sent = System.nanoTime();
                        int retries = 0;
                        String args = "{\"message_id\":" + MiniJson.write(String.valueOf(m.get("id"))) + ",\"body\":\"yes, go ahead\"}";
                        Map<String, Object> reply;
                        while (true) {
                            timings.put(body, new PeerTiming(noticed, sent, retries));
                            reply = peer.request("tools/call", "{\"name\":\"reply_to_message\",\"arguments\":" + args + "}", CALL_TIMEOUT_MS);
                            Map<String, Object> r = McpSocketClient.toolResult(reply);
                            if (Boolean.TRUE.equals(r.get("ok"))) break;
                            // read_my_messages marks delivery once its response is written; a reply faster than
                            // that commit is refused as message-not-delivered. Count it and try again.
                            if (retries++ > 100) throw new IOException("reply_to_message keeps failing: " + r);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (!volatileStop) {
                        peerErrors.incrementAndGet();
                        progress.println("bench: ask peer: " + e.getMessage());
                        sleep(50);
                    }
                }
            }
        });
        List<Double> overhead = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> peerOwn = new ArrayList<>();
        List<Double> notice = new ArrayList<>();
        int retried = 0;
        try {
            for (int i = -sizes.warmups() / 3; i < sizes.asks(); i++) {
                String body = "qtok " + i + " may I merge the migration now?";
                long t0 = System.nanoTime();
                Map<String, Object> r = asker.tool("ask_peer", "{\"target\":" + MiniJson.write(peerSession) + ",\"body\":"
                        + MiniJson.write(body) + ",\"timeout_ms\":20000}");
                long t1 = System.nanoTime();
                if (!Boolean.FALSE.equals(r.get("timed_out")) || !(r.get("reply") instanceof Map<?, ?> reply)
                        || !"yes, go ahead".equals(reply.get("body"))) {
                    throw new IOException("ask_peer did not return the answer: " + r);
                }
                PeerTiming p = timings.get(body);
                if (p == null) throw new IOException("no peer timing for " + body);
                retried += p.retries();
                if (i < 0) continue;
                double own = (p.replySentNanos() - p.noticedNanos()) / 1e6;
                total.add((t1 - t0) / 1e6);
                peerOwn.add(own);
                notice.add((p.noticedNanos() - t0) / 1e6);
                overhead.add((t1 - t0) / 1e6 - own);
            }
        } finally {
            volatileStop = true;
            // The peer's last log wait would go on in the hub for up to 5 s, re-reading the log at every commit of
            // the throughput runs that follow; a line it matches ends it now (the peer skips it: no "qtok " prefix).
            try {
                asker.tool("send_message", "{\"target\":" + MiniJson.write(peerSession) + ",\"body\":\"qtok-done, no more questions\"}");
            } catch (IOException | RuntimeException e) {
                progress.println("bench: ending the peer's log wait: " + e.getMessage());
            }
            peerThread.interrupt();
            try {
                peerThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        put.accept(Figure.measured("msg_ask_overhead_ms", "ask_peer overhead, peer answers at once", "ms", Stats.of(overhead), 15.0,
                String.format(java.util.Locale.ROOT, "ask round trip through a real front (median %.2f ms) minus the peer's own time"
                                + " from being told of the question to sending its reply (median %.2f ms: a read_my_messages call);"
                                + " the peer is told push-style (a log wait) %.2f ms (median) after the asker sent the ask;"
                                + " %d reply(ies) retried after message-not-delivered; %d peer error(s)",
                        Stats.of(total).median(), Stats.of(peerOwn).median(), Stats.of(notice).median(), retried, peerErrors.get())));
    }

    private volatile boolean volatileStop;

    /** One {@code log} control request that waits (push) for a question committed after {@code lastSeq}. */
    private List<LogPage.Entry> waitForQuestions(AtomicLong lastSeq) throws IOException {
        return hub.client(project).connectWithin(15_000)
                .call(new ControlRequest.Log(project.toString(), false, "qtok", lastSeq.get(), 50, 5_000)).messages();
    }

    // ---- 3. throughput, zero loss; 4. read with a backlog ---------------------------------------------------

    /** What one burst sent: acknowledged message ids and the wall time. */
    /** @param hubCpuMs the hub's CPU time (user + system) over the burst, -1 when /proc cannot tell */
    private record Burst(Set<String> acked, int failed, double seconds, double hubCpuMs) {
        double perSecond() {
            return acked.size() / seconds;
        }
    }

    private void throughputAndBacklog(ShellFront receiver, String receiverSession) throws IOException {
        int total = sizes.senders() * sizes.perSender();
        progress.println("bench: " + sizes.senders() + " concurrent senders (socket sessions) x " + sizes.perSender()
                + " messages, " + sizes.throughputRuns() + " run(s); then read_my_messages with a backlog of " + total);
        List<McpSocketClient> senders = new ArrayList<>();
        for (int s = 0; s < sizes.senders(); s++) senders.add(rawSession(UUID.randomUUID().toString(), 100 + s));
        List<Double> rates = new ArrayList<>();
        List<Double> cpuPerMessage = new ArrayList<>();
        List<Double> reads = new ArrayList<>();
        long lost = 0;
        long delivered = 0;
        long acked = 0;
        long failed = 0;
        int backlogAtStart = -1;
        for (int run = 0; run < sizes.throughputRuns(); run++) {
            Burst b = burst(senders, receiverSession, "r" + run);
            rates.add(b.perSecond());
            if (b.hubCpuMs() >= 0 && !b.acked().isEmpty()) cpuPerMessage.add(b.hubCpuMs() * 1000 / b.acked().size());
            acked += b.acked().size();
            failed += b.failed();
            Set<String> got = new HashSet<>();
            if (run == 0) {
                // read_my_messages with the whole burst queued (each call takes the oldest 50)
                int backlog = -1;
                for (int i = 0; i < sizes.backlogReads() + 3; i++) {
                    long t0 = System.nanoTime();
                    Map<String, Object> r = receiver.tool("read_my_messages", "{}");
                    double ms = (System.nanoTime() - t0) / 1e6;
                    List<?> msgs = (List<?>) r.get("messages");
                    if (backlog < 0) backlog = msgs.size() + ((Number) r.get("deferred_count")).intValue();
                    for (Object o : msgs) got.add(String.valueOf(((Map<?, ?>) o).get("id")));
                    if (i >= 3) reads.add(ms); // three warm-up reads
                }
                backlogAtStart = backlog;
            }
            got.addAll(receiver.drain());
            Set<String> missing = new HashSet<>(b.acked());
            missing.removeAll(got);
            lost += missing.size();
            delivered += got.size();
        }
        int read = sizes.backlogReads();
        put.accept(Figure.atLeast("msg_throughput_per_s", sizes.senders() + " concurrent senders -> one inbox (socket sessions)", "msg/s",
                Stats.of(rates), 2000.0, sizes.senders() + " MCP sessions on the hub socket (no front JVMs), " + sizes.perSender()
                        + " sequential send_message calls each; acknowledged = committed to SQLite (WAL); per run of " + total));
        if (!cpuPerMessage.isEmpty()) {
            put.accept(Figure.measured("msg_hub_cpu_us", "hub CPU per acknowledged message (the same bursts)", "us",
                    Stats.of(cpuPerMessage), null, "the hub's user + system time over each burst (/proc, 10 ms ticks) / its"
                            + " acknowledged sends: what the rate costs, less moved by other load on the machine than the rate"));
        }
        put.accept(Figure.measured("msg_lost", "messages lost (acknowledged, never delivered)", "messages",
                Stats.of(List.of((double) lost)), 0.0, acked + " acknowledged, " + delivered + " delivered (each id once), "
                        + failed + " send(s) failed"));
        put.accept(Figure.measured("msg_read_backlog_ms", "read_my_messages, " + backlogAtStart + "-message backlog (real front)", "ms",
                Stats.of(reads), 20.0, "50 messages (~90-byte bodies) per call, the backlog going from " + (backlogAtStart - 150) + " to "
                        + (backlogAtStart - 150 - 50 * read) + " over the " + read + " timed calls (after 3 warm-up calls)"));
    }

    /** Every sender sends perSender messages to the target, sequentially; all senders at once. */
    private Burst burst(List<McpSocketClient> senders, String target, String tag) throws IOException {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders.size(); s++) {
                McpSocketClient c = senders.get(s);
                int sender = s;
                running.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < sizes.perSender(); n++) {
                        String args = "{\"target\":" + MiniJson.write(target) + ",\"body\":" + MiniJson.write(
                                "burst " + tag + " s" + sender + " n" + n + ": tests pass on my branch, please review the diff") + "}";
                        try {
                            Map<String, Object> r = c.tool("send_message", args, CALL_TIMEOUT_MS);
                            if (Boolean.TRUE.equals(r.get("ok"))) acked.add(String.valueOf(r.get("message_id")));
                            else failed.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long hubPid = hub.process().pid();
            long ticks0 = Procfs.cpuTicks(hubPid);
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IOException("a sender failed", e);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long ticks1 = Procfs.cpuTicks(hubPid);
            return new Burst(acked, failed.get(), seconds, ticks0 < 0 || ticks1 < 0 ? -1 : (ticks1 - ticks0) * 10.0);
        }
    }

    /** The same burst from 20 real front processes (each under its own sh), driven by one thread each. */
    private void throughputThroughRealFronts(ShellFront receiver, String receiverSession) throws IOException {
        int n = sizes.senders();
        progress.println("bench: " + n + " concurrent senders through real fronts x " + sizes.perSender() + " messages");
        List<ShellFront> fronts = new ArrayList<>();
        for (int s = 0; s < n; s++) fronts.add(front(UUID.randomUUID().toString()));
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            ShellFront f = fronts.get(s);
            int sender = s;
            threads.add(Thread.ofPlatform().name("bench-front-sender-" + s).start(() -> {
                try {
                    go.await();
                    for (int k = 0; k < sizes.perSender(); k++) {
                        Map<String, Object> r = f.tool("send_message", "{\"target\":" + MiniJson.write(receiverSession)
                                + ",\"body\":" + MiniJson.write("front burst s" + sender + " n" + k + ": tests pass on my branch, please review the diff") + "}");
                        if (Boolean.TRUE.equals(r.get("ok"))) acked.add(String.valueOf(r.get("message_id")));
                        else failed.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    failed.incrementAndGet();
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Set<String> got = receiver.drain();
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(got);
        put.accept(Figure.atLeast("msg_throughput_fronts_per_s", n + " concurrent senders -> one inbox (real fronts)", "msg/s",
                Stats.of(List.of(acked.size() / seconds)), null,
                n + " front JVMs driven from this process, " + sizes.perSender() + " send_message calls each; " + acked.size()
                        + " acknowledged, " + missing.size() + " lost, " + failed.get() + " failed"));
        for (ShellFront f : fronts) f.close();
    }

    // ---- sessions -------------------------------------------------------------------------------------------

    private McpSocketClient rawSession(String sessionId, int n) throws IOException {
        Map<String, String> env = Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sessionId);
        McpSocketClient c = McpSocketClient.connect(hub.paths(), project.toString(), env, "claude-code");
        open.add(c);
        return c;
    }

    private ShellFront front(String sessionId) throws IOException {
        ShellFront f = ShellFront.start(frontCommand, ChildJava.cleanEnv(home, jar), sessionId, project, frontErr, track);
        open.add(f);
        return f;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
