package dev.huddle.store.postgres;

import dev.huddle.it.support.TestHome;
import dev.huddle.tools.demo.SimulatedAgent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * The {@code ask_peer} round trip through real hubs and real fronts on a shared store: alice (on the laptop's hub)
 * asks carol (the same hub) and bob (the devbox's hub, another HUDDLE_HOME and HUDDLE_MACHINE on the same database),
 * interleaved. Each peer is played by a thread here that, while an ask is outstanding, calls read_my_messages through
 * its front one call after another and answers the question with reply_to_message as soon as it is read. The
 * same-hub series is the floor of the cross-machine one: the same fronts, the same polling peer; what differs is the
 * reply's way back (the other hub's commit, its notification, and this hub's lookup of the reply). With a pause, the
 * peer waits that long between its reads, as the side-by-side harness's scripted peer does (5 ms); without, it reads
 * back to back, which keeps a core busy with its own calls on a 2-core machine.
 */
final class CrossMachineAsk {
    /**
     * Round trips in ms, the peers' read_my_messages calls in ms (how finely they poll), and the cross-machine round
     * trip's parts: from the ask to the peer's read that returned it, the peer's reply_to_message call, and from the
     * reply's return to the ask's answer.
     */
    record Series(double[] sameHub, double[] crossMachine, double[] peerRead, Parts crossParts) {}

    /** One round trip's parts, in ms, per ask. */
    record Parts(double[] toFound, double[] reply, double[] back) {
        Parts(int n) {
            this(new double[n], new double[n], new double[n]);
        }
    }

    private CrossMachineAsk() {}

    static Series measure(PostgresTarget db, int n, int warmups) throws Exception {
        return measure(db, n, warmups, 0);
    }

    static Series measure(PostgresTarget db, int n, int warmups, long peerPauseMs) throws Exception {
        try (TestHome laptop = machine(db, "laptop"); TestHome devbox = machine(db, "devbox")) {
            Team t = new Team(laptop, devbox, peerPauseMs);
            double[] same = new double[n];
            double[] cross = new double[n];
            Parts parts = new Parts(n);
            for (int i = -warmups; i < n; i++) {
                double s = t.ask("carol");
                long t0 = System.nanoTime();
                double x = t.ask("bob");
                if (i >= 0) {
                    same[i] = s;
                    cross[i] = x;
                    parts.toFound()[i] = (t.bob.foundAt - t0) / 1e6;
                    parts.reply()[i] = (t.bob.repliedAt - t.bob.foundAt) / 1e6;
                    parts.back()[i] = x - parts.toFound()[i] - parts.reply()[i];
                }
            }
            return new Series(same, cross, t.stop(), parts);
        }
    }

    /**
     * The cross-machine round trip on two stores at once (two teams of hubs, e.g. one store reached over TLS and the
     * same server without), their asks alternating, so that a drift in the machine's load falls on both series.
     */
    static double[][] crossMachinePair(PostgresTarget a, PostgresTarget b, int n, int warmups) throws Exception {
        try (TestHome la = machine(a, "laptop"); TestHome da = machine(a, "devbox"); TestHome lb = machine(b, "laptop"); TestHome db = machine(b, "devbox")) {
            Team ta = new Team(la, da, 0);
            Team tb = new Team(lb, db, 0);
            double[][] out = new double[2][n];
            for (int i = -warmups; i < n; i++) {
                double x = ta.ask("bob");
                double y = tb.ask("bob");
                if (i >= 0) {
                    out[0][i] = x;
                    out[1][i] = y;
                }
            }
            ta.stop();
            tb.stop();
            return out;
        }
    }

    /** alice and carol on the laptop's hub, bob on the devbox's; carol and bob answer while an ask is outstanding. */
    private static final class Team {
        final SimulatedAgent alice;
        final Peer carol;
        final Peer bob;

        Team(TestHome laptop, TestHome devbox, long peerPauseMs) {
            Path repo = laptop.newProject("repo");
            alice = agent(laptop, repo, "alice");
            carol = new Peer(agent(laptop, repo, "carol"), peerPauseMs);
            bob = new Peer(agent(devbox, repo, "bob"), peerPauseMs);
        }

        double ask(String target) {
            return CrossMachineAsk.ask(alice, target, target.equals("bob") ? bob : carol);
        }

        /** Stops the peers; returns their read_my_messages calls in ms. */
        double[] stop() throws InterruptedException {
            carol.stop();
            bob.stop();
            double[] reads = new double[carol.reads.size() + bob.reads.size()];
            int k = 0;
            for (double r : carol.reads) reads[k++] = r;
            for (double r : bob.reads) reads[k++] = r;
            return reads;
        }
    }

    private static TestHome machine(PostgresTarget db, String name) {
        return TestHome.create().withEnv("HUDDLE_STORE_URL", db.toString()).withEnv("HUDDLE_MACHINE", name);
    }

    private static SimulatedAgent agent(TestHome home, Path repo, String name) {
        SimulatedAgent a = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        if (!Boolean.TRUE.equals(a.call("set_my_state", Map.of("name", name)).get("ok"))) throw new IllegalStateException("cannot name " + name);
        return a;
    }

    private static double ask(SimulatedAgent asker, String target, Peer peer) {
        peer.go.release(); // the peer starts reading now, and stops once it has replied
        long t0 = System.nanoTime();
        Map<String, Object> r = asker.call("ask_peer", Map.of("target", target, "body", "ping", "timeout_ms", 10_000));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!Boolean.FALSE.equals(r.get("timed_out"))) throw new IllegalStateException("ask_peer to " + target + " got no reply: " + r);
        return ms;
    }

    /** A peer that reads while an ask is outstanding and replies at once. */
    private static final class Peer {
        final Semaphore go = new Semaphore(0);
        final List<Double> reads = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        /** When the read that returned the question came back, and when the reply call did (nanoTime). */
        volatile long foundAt;
        volatile long repliedAt;
        private volatile boolean stopped;
        private final Thread thread;

        private final long pauseMs;

        Peer(SimulatedAgent me, long pauseMs) {
            this.pauseMs = pauseMs;
            thread = Thread.ofPlatform().daemon().start(() -> loop(me));
        }

        @SuppressWarnings("unchecked")
        private void loop(SimulatedAgent me) {
            while (!stopped) {
                try {
                    go.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                for (boolean replied = false; !replied && !stopped; ) {
                    long t0 = System.nanoTime();
                    Map<String, Object> got = me.call("read_my_messages", Map.of());
                    reads.add((System.nanoTime() - t0) / 1e6);
                    for (Map<String, Object> m : (List<Map<String, Object>>) got.getOrDefault("messages", List.of())) {
                        if (m.get("request_id") == null) continue;
                        foundAt = System.nanoTime();
                        me.call("reply_to_message", Map.of("message_id", m.get("id"), "body", "pong"));
                        repliedAt = System.nanoTime();
                        replied = true;
                    }
                    if (!replied && pauseMs > 0) {
                        try {
                            Thread.sleep(pauseMs); // the scripted peer's poll interval, not a wait for a condition
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
