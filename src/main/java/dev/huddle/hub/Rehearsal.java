package dev.huddle.hub;

import dev.huddle.hub.identity.Caller;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.control.HubStatus;
import io.modelcontextprotocol.json.McpJsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A hub started with nobody waiting ({@code huddle hub start}, {@code huddle setup}, {@code huddle hub restart}) warms
 * itself: right after it accepts, it serves one rehearsed session, so that the first real session finds the code it
 * runs compiled, its classes initialised and its call sites linked (ARCHITECTURE-NOTES, "Warming a hub started ahead").
 *
 * <p>The rehearsal cannot be taken for an agent, nor act as one, because it never reaches the hub's own services: it
 * gets a scratch copy of them ({@link HubServices} over a scratch SQLite file) behind a scratch {@link HubServer} on
 * a socket of its own, which admits only this process, and it speaks to it through the real transport (hello, peer
 * credentials, MCP session, tools) from a thread of this process. Compiled code, initialised classes, linked call
 * sites and the JSON mapper's serializers are shared by both copies; rows, sessions, fronts, cockpit feeds and wakes
 * are not. Afterwards the scratch files are deleted; while it runs, what its threads log is dropped.
 *
 * <p>It gives way: a real front arriving abandons it between steps and cuts a step that waits.
 */
final class Rehearsal {
    private static final Logger LOG = Logger.getLogger(Rehearsal.class.getName());
    /** A scratch server's connections end when their client closes; a server stuck longer keeps its database open. */
    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** Threads started by the rehearsal (it, its server's connections, their calls), whose log lines are dropped. */
    private static final InheritableThreadLocal<Boolean> MARKED = new InheritableThreadLocal<>();
    private static volatile boolean running;

    /** What {@code huddle hub status} says of it. */
    enum State {
        NONE("none"), OFF("off"), SKIPPED("skipped"), RUNNING("running"), DONE("done"), ABANDONED("abandoned"), FAILED("failed");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        String wireName() {
            return wire;
        }
    }

    private final HubPaths paths;
    private final HubConfig config;
    private final McpJsonMapper mapper;
    private final Supplier<HubStatus> status;
    private final ScheduledExecutorService timers;
    private final AtomicReference<State> state = new AtomicReference<>(State.NONE);
    private volatile boolean abandoned;
    private volatile RehearsalScript script;

    Rehearsal(HubPaths paths, HubConfig config, McpJsonMapper mapper, Supplier<HubStatus> status, ScheduledExecutorService timers) {
        this.paths = paths;
        this.config = config;
        this.mapper = mapper;
        this.status = status;
        this.timers = timers;
    }

    /** Whether a log record from this thread is the rehearsal's (and so not written). */
    static boolean quiet() {
        return running && Boolean.TRUE.equals(MARKED.get());
    }

    State state() {
        return state.get();
    }

    /**
     * Starts it in the background, unless its setting is off, the hub uses a team's shared store (the scratch store is
     * SQLite: it would warm code that hub does not run, and load SQLite's native library for nothing) or a real front
     * got here first.
     */
    void start(Map<String, String> env, boolean sharedStore, boolean frontsConnected) {
        State instead = Settings.HUB_REHEARSAL.saysOff(env) ? State.OFF : sharedStore ? State.SKIPPED
                : frontsConnected || abandoned ? State.ABANDONED : null;
        if (instead != null) {
            state.set(instead);
            return;
        }
        state.set(State.RUNNING);
        Thread t = Thread.ofPlatform().name("hub-rehearsal").daemon(true).unstarted(this::run);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** A real front is arriving: the rehearsal stops where it is, and it does not wait for it. */
    void abandon() {
        if (abandoned) return;
        abandoned = true;
        RehearsalScript s = script;
        if (s != null) s.interrupt();
    }

    private void run() {
        long t0 = System.nanoTime();
        long cpu0 = processCpuMs();
        State outcome;
        String why = "";
        MARKED.set(true);
        running = true;
        try {
            outcome = rehearse() ? State.DONE : State.ABANDONED;
        } catch (IOException | RuntimeException e) {
            outcome = abandoned ? State.ABANDONED : State.FAILED; // abandoned: its connection was cut under it
            why = abandoned ? "" : ": " + e;
        } finally {
            running = false;
            MARKED.remove();
        }
        state.set(outcome);
        if (outcome == State.ABANDONED) why = " (a front arrived)";
        String line = "rehearsal " + outcome.wireName() + why + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms (process cpu "
                + (processCpuMs() - cpu0) + " ms)";
        LOG.fine(line);
        StartTimeline.mark(line);
    }

    private boolean rehearse() throws IOException {
        Path socket = paths.rehearsalSocket();
        Path db = paths.rehearsalDatabase();
        deleteScratch(socket, db); // a hub killed while rehearsing left them
        HubServer server = null;
        HubServices services = null;
        HubDatabase store = null;
        try {
            HubPaths.ensurePrivateFile(db);
            store = HubDatabase.scratch(db);
            StartTimeline.mark("rehearsal: scratch store");
            if (abandoned) return false;
            services = new HubServices(config, store, mapper, status, Clock.systemUTC());
            StartTimeline.mark("rehearsal: scratch services");
            if (abandoned) return false;
            server = new HubServer(onlyThisProcess(), socket, services.registry, services.sessions, services.control, timers,
                    config.maxLineBytes());
            server.bind();
            server.acceptLoop();
            RehearsalScript s = new RehearsalScript(socket, paths.runtimeDir(), () -> abandoned);
            script = s;
            if (abandoned) return false;
            return s.run() && !abandoned;
        } finally {
            script = null;
            boolean drained = server == null || drained(server);
            if (server != null) server.close();
            if (services != null) {
                services.cockpit.close();
                services.close();
            }
            if (store != null && drained) store.close(); // else a call still holds it: leave it to the process's end
            deleteScratch(socket, db);
        }
    }

    /** The scratch server's lifecycle: it admits only this process, keeps no hub alive and stops none. */
    private static HubServer.Lifecycle onlyThisProcess() {
        long self = ProcessHandle.current().pid();
        return new HubServer.Lifecycle() {
            @Override
            public void touch() {}

            @Override
            public void shutdownSoon(String reason) {}

            @Override
            public boolean admits(Caller caller) {
                return caller.proven() && caller.pid() == self;
            }
        };
    }

    /** Waits for the scratch server's connections to end (their client has closed). */
    private static boolean drained(HubServer server) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5); // a handful of rounds at most: the connection ends when its last answer is written
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return server.openConnections() == 0;
    }

    private static void deleteScratch(Path socket, Path db) {
        for (Path p : List.of(socket, db, db.resolveSibling(db.getFileName() + "-wal"), db.resolveSibling(db.getFileName() + "-shm"))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the next rehearsal deletes it first
            }
        }
    }

    private static long processCpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }
}
