package dev.huddle.store.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * Other hubs' commits, without polling: one connection per hub that {@code LISTEN}s on {@code huddle_changes}, which
 * the tables' triggers {@code NOTIFY} in every writing transaction (delivered at its commit, once per table). Each
 * arriving batch tells the listener. After 10 s without one, a round trip checks the connection (its statements time
 * out after 15 s, not the pool's 120). A lost connection is made again (after a pause growing to 2 s); the listener is
 * told once on reconnecting, for what was committed meanwhile.
 */
final class PgChangeFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PgChangeFeed.class.getName());
    static final String CHANNEL = "huddle_changes";
    /** The hubs' heartbeats' own channel: told to {@code beats}, never to the listener (a beat changes nothing shown). */
    static final String BEATS = "huddle_beats";
    /** After this long without a notification the connection is checked with a round trip. */
    private static final long HEARTBEAT_NS = 10_000_000_000L;

    private final ConnectionPool.Factory factory;
    /** Told of other hubs' commits: the tables they wrote, or null when not known (after a reconnect). */
    private final java.util.function.Consumer<java.util.Set<String>> listener;
    private final java.util.function.IntPredicate ownBackend;
    private final java.util.function.BiConsumer<String, Long> beats;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    /** Down once the first LISTEN took (or failed): a commit after {@link #start} returns is not missed. */
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param ownBackend whether a notifying server process is this hub's own (its commits are told as they commit)
     * @param beats      told each heartbeat notice (its payload, and {@link System#nanoTime} when it arrived)
     */
    PgChangeFeed(ConnectionPool.Factory factory, java.util.function.Consumer<java.util.Set<String>> listener, java.util.function.IntPredicate ownBackend,
                 java.util.function.BiConsumer<String, Long> beats) {
        this.factory = factory;
        this.listener = listener;
        this.ownBackend = ownBackend;
        this.beats = beats;
        this.thread = Thread.ofPlatform().daemon().name("huddle-pg-listen").unstarted(this::loop);
    }

    /** Starts listening; returns once the server listens for this hub (or after 10 s, or a failure: it retries). */
    void start() {
        thread.start();
        try {
            listening.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long pauseMs = 50;
        boolean first = true;
        while (!closed) {
            try (Connection c = factory.connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                    st.execute("LISTEN " + BEATS);
                }
                listening.countDown();
                if (!first) tell(null); // what was committed while we were not listening: any table
                first = false;
                pauseMs = 50;
                PGConnection pg = c.unwrap(PGConnection.class);
                long quietSince = System.nanoTime();
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(1000); // blocks until one arrives, or 1 s
                    if (got != null && got.length > 0) {
                        long at = System.nanoTime();
                        java.util.Set<String> tables = new java.util.HashSet<>(); // a trigger's payload is its table's name
                        for (PGNotification n : got) {
                            if (BEATS.equals(n.getName())) beat(n.getParameter(), at);
                            else if (!ownBackend.test(n.getPID())) tables.add(n.getParameter());
                        }
                        if (!tables.isEmpty()) tell(tables);
                        quietSince = System.nanoTime();
                    } else if (System.nanoTime() - quietSince > HEARTBEAT_NS) {
                        // quiet for a while: is the connection still there? (a cut network says nothing by itself)
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT 1");
                        }
                        quietSince = System.nanoTime();
                    }
                }
            } catch (SQLException e) {
                listening.countDown();
                if (closed) return;
                LOG.fine(() -> "listening for other hubs' commits failed, reconnecting: " + e.getMessage());
            }
            connection = null;
            try {
                Thread.sleep(pauseMs); // a pause before reconnecting, not a poll of the data
            } catch (InterruptedException e) {
                return;
            }
            pauseMs = Math.min(2000, pauseMs * 2);
        }
    }

    private void beat(String payload, long at) {
        try {
            beats.accept(payload, at);
        } catch (RuntimeException ignored) {
            // a listener's failure is not the feed's
        }
    }

    private void tell(java.util.Set<String> tables) {
        try {
            listener.accept(tables);
        } catch (RuntimeException ignored) {
            // a listener's failure is not the feed's
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) ConnectionPool.closeQuietly(c);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
