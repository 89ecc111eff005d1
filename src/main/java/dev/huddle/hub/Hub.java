package dev.huddle.hub;

import dev.huddle.hub.claims.CommitGuard;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.hooks.HttpApi;
import dev.huddle.hub.identity.TcpPeers;
import dev.huddle.hub.mcp.JsonWarmUp;
import dev.huddle.protocol.HookPort;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.store.Recovery;
import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteNativeLibrary;
import dev.huddle.store.sqlite.SqliteRecovery;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code huddle hub run}: the one long-lived process per user that owns all state. This class owns its lifecycle
 * (the lock, the start order, the status, the stop); {@link HubServices} builds the services. Start-up order keeps
 * the time to first answer short: take the hub lock, open the database and start HTTP in parallel, build the
 * services, bind the socket, then accept.
 */
public final class Hub {
    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    /** Exit codes of {@code huddle hub run}. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_SETUP_FAILED = 2;
    public static final int EXIT_DATABASE_REFUSED = 3;

    private final HubPaths paths;
    private final HubConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt = Instant.now();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong lastActivity = new AtomicLong(System.currentTimeMillis());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("hub-timer").daemon(true).factory());
    private HubDatabase db;
    private HttpApi http;
    private HubServices services;
    private HubServer server;
    private String stopReason = "";
    private volatile int exitCode = EXIT_OK;
    private volatile String dbCheck = "pending";
    private boolean ahead;
    private volatile Rehearsal rehearsal;

    private final StoreChoice store;
    private final Map<String, String> env;

    private Hub(HubPaths paths, HubConfig config, StoreChoice store, Map<String, String> env) {
        this.paths = paths;
        this.config = config;
        this.store = store;
        this.env = env;
    }

    /**
     * Runs the hub until it is stopped; returns the process exit code. {@code ahead}: started with nobody waiting
     * ({@code hub start}, setup, {@code hub restart}), it rehearses a session once it accepts ({@link Rehearsal}).
     */
    public static int run(Map<String, String> env, PrintStream err, boolean ahead) {
        StartTimeline.mark("main");
        skipJettysJmxProbe();
        HubPaths paths = HubPaths.fromEnvironment(env);
        try {
            paths.ensurePrivateDirectories();
            HubLog.install(paths.logDir(), Level.parse(env.getOrDefault(Settings.LOG_LEVEL.env(), Settings.LOG_LEVEL.defaultText())));
        } catch (IOException | IllegalArgumentException e) {
            err.println("huddle hub: cannot prepare " + paths.home() + ": " + e.getMessage());
            return EXIT_SETUP_FAILED;
        }
        try {
            HubPaths.ensurePrivateFile(paths.hubLock());
            try (FileChannel lockFile = FileChannel.open(paths.hubLock(), StandardOpenOption.WRITE);
                 FileLock lock = lockFile.tryLock()) {
                if (lock == null) {
                    err.println("huddle hub: another hub is already running for " + paths.home());
                    return EXIT_OK;
                }
                StoreChoice store;
                try {
                    store = StoreChoice.load(paths.config(), env);
                } catch (StoreException e) {
                    err.println("huddle hub: refusing to start: " + e.getMessage() + (e.hint() == null ? "" : " " + e.hint()));
                    LOG.severe("refusing to start: " + e.getMessage());
                    return EXIT_DATABASE_REFUSED;
                }
                Hub hub = new Hub(paths, HubConfig.load(paths.config(), env), store, env);
                hub.ahead = ahead;
                return hub.runLocked(err);
            }
        } catch (IOException e) {
            err.println("huddle hub: " + e.getMessage());
            LOG.log(Level.SEVERE, "hub failed", e);
            return EXIT_SETUP_FAILED;
        }
    }

    /**
     * Jetty's {@code MemoryUtils}, on the first queue the hub makes, asks the platform MBean server whether oops are
     * compressed, to size the padding of its queues against false sharing. Starting JMX for that was about 95 ms of the
     * hub's CPU (of about 850) before it accepted (docs/BENCHMARKS.md, "A cold hub's CPU, profiled"). The answer is known: the hub's heap is
     * capped far below 32 GB, so a reference is 4 bytes, 16 to a 64-byte cache line. A value set by hand wins.
     */
    static void skipJettysJmxProbe() {
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
    }

    /**
     * {@code huddle hub recover}: with no hub running (it takes the hub lock itself, so none starts meanwhile), salvages
     * what is readable of the database into a new one and keeps the damaged file aside; see {@link SqliteRecovery}.
     *
     * @throws IllegalStateException when a hub runs
     */
    public static Recovery recoverDatabase(HubPaths paths) throws IOException {
        paths.ensurePrivateDirectories();
        HubPaths.ensurePrivateFile(paths.hubLock());
        try (FileChannel lockFile = FileChannel.open(paths.hubLock(), StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) throw new IllegalStateException("a hub is running for " + paths.home() + "; stop it first (huddle hub stop)");
            Recovery r = SqliteRecovery.recover(paths.database(), Instant.now());
            Files.deleteIfExists(corruptMark(paths));
            return r;
        }
    }

    private int runLocked(PrintStream err) throws IOException {
        long t0 = System.nanoTime();
        StartTimeline.mark("locked");
        config.problems().forEach(p -> LOG.warning("config: " + p));
        // The hook socket answers from the start; hooks fail open (and commits are allowed) until the services exist.
        CompletableFuture<HookService> hooks = new CompletableFuture<>();
        CompletableFuture<CommitGuard> commits = new CompletableFuture<>();
        McpJsonMapper mapper;
        CompletableFuture<Void> httpStarted;
        try {
            if (store.target() == null) {
                HubPaths.ensurePrivateFile(paths.database());
                SqliteNativeLibrary.useCached(paths.home().resolve("native"));
            } else {
                LOG.info("store: " + store.target() + (store.machineNamed() ? " as machine " + store.machine() : ""));
            }
            CompletableFuture<HubDatabase> opening = CompletableFuture.supplyAsync(() -> timed("database open", () -> HubDatabase.open(store, paths.database(), env)),
                    Executors.newVirtualThreadPerTaskExecutor());
            http = new HttpApi(paths.httpSocket(), hookPort(), this::health, hooks, commits);
            httpStarted = CompletableFuture.runAsync(this::startHttp, Executors.newVirtualThreadPerTaskExecutor());
            StartTimeline.mark("database and http starting");
            mapper = McpJsonDefaults.getMapper(); // Jackson's cold start overlaps the database open
            StartTimeline.mark("mapper");
            McpJsonMapper warming = mapper;
            Thread.ofPlatform().name("hub-json-warm-up").daemon(true).start(() -> {
                JsonWarmUp.run(warming);
                StartTimeline.mark("json warmed up");
            });
            db = opening.join();
            if (db instanceof HubDatabase.Postgres pg) LOG.info("store: writing as machine " + pg.db().machine() + " (database role "
                    + pg.db().role().user() + (pg.db().role().machine() != null ? ", this machine's own)" : ")"));
            stillCorrupt();
        } catch (CompletionException | StoreException e) {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            String msg = cause instanceof StoreException ? cause.getMessage() : String.valueOf(cause);
            if (cause instanceof StoreException se && se.hint() != null) msg += " " + se.hint();
            err.println("huddle hub: refusing to start: " + msg);
            LOG.severe("refusing to start: " + msg);
            if (http != null) http.stop();
            if (db != null) db.close();
            return EXIT_DATABASE_REFUSED;
        }
        db.onHealth(this::storageChanged);
        services = new HubServices(config, db, mapper, this::status, clock);
        StartTimeline.mark("services");
        serve(httpStarted, hooks, commits);
        HubFiles.forgetSpawnMark(paths);
        HubFiles.writeHubInfo(paths, startedAt, http == null ? 0 : http.tcpPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdownSoon("signal"), "hub-shutdown-hook"));
        announceReady(err, t0);
        scheduleTimers();
        rehearseIfAhead(mapper);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        LOG.info("hub stopped: " + stopReason);
        return exitCode;
    }

    /** Binds and accepts on the hub socket, then hands the hook socket its services. */
    private void serve(CompletableFuture<Void> httpStarted, CompletableFuture<HookService> hooks, CompletableFuture<CommitGuard> commits)
            throws IOException {
        HubServer pendingServer = new HubServer(lifecycle(), paths.mcpSocket(), services.registry, services.sessions, services.control,
                timers, config.maxLineBytes());
        pendingServer.bind();
        server = pendingServer;
        server.acceptLoop();
        StartTimeline.mark("accepting");
        try {
            httpStarted.join();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP socket unavailable (hooks will fail open until the hub restarts)", e);
        }
        commits.complete(services.commits);
        hooks.complete(services.hooks);
    }

    private void announceReady(PrintStream err, long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("hub " + Version.CURRENT + " ready in " + ms + " ms (pid " + ProcessHandle.current().pid() + ", home " + paths.home() + ")");
        err.println("huddle hub ready in " + ms + " ms");
    }

    private static <T> T timed(String phase, java.util.function.Supplier<T> work) {
        T t = work.get();
        StartTimeline.mark(phase);
        return t;
    }

    private void startHttp() {
        try {
            http.start();
            StartTimeline.mark("http started");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the hub socket tells the hub: activity, and a client's request to stop. */
    private HubServer.Lifecycle lifecycle() {
        return new HubServer.Lifecycle() {
            @Override
            public void touch() {
                Hub.this.touch();
            }

            @Override
            public void shutdownSoon(String reason) {
                Hub.this.shutdownSoon(reason);
            }

            @Override
            public void frontArriving() {
                if (rehearsal != null) rehearsal.abandon();
            }
        };
    }

    /** A hub nobody waits for serves a rehearsed session now, so the first real one finds its code warm. */
    private void rehearseIfAhead(McpJsonMapper mapper) {
        if (!ahead) return;
        rehearsal = new Rehearsal(paths, config, mapper, this::status, timers);
        rehearsal.start(env, store.target() != null, !services.registry.fronts().isEmpty());
    }

    private void scheduleTimers() {
        services.startWakes(); // after the hook socket is up: a retry may go through a rewake hook
        timers.scheduleWithFixedDelay(this::sweep, config.livenessInterval().toMillis(), config.livenessInterval().toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::idleCheck, 1, 1, TimeUnit.SECONDS);
        timers.schedule(this::checkDatabase, 200, TimeUnit.MILLISECONDS); // a damaged page found early stops the hub early
        timers.scheduleWithFixedDelay(this::probeStorage, 1, 1, TimeUnit.SECONDS);
        timers.schedule(() -> SqliteNativeLibrary.cache(paths.home().resolve("native")), 3, TimeUnit.SECONDS);
        AotTraining.scheduleIfMissing(timers, paths);
    }

    private void sweep() {
        try {
            services.registry.sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "liveness sweep failed", e);
        }
    }

    private void idleCheck() {
        if (config.idleExit().isZero()) return;
        if (server.openConnections() > 0 || !services.registry.fronts().isEmpty() || services.web.clients() > 0) { // a watching page counts
            touch();
            return;
        }
        if (System.currentTimeMillis() - lastActivity.get() > config.idleExit().toMillis()) {
            shutdownSoon("idle for " + config.idleExit().toSeconds() + " s with no connected fronts");
        }
    }

    private void checkDatabase() {
        try {
            dbCheck = db.quickCheck(); // not ok: the database says it is corrupt, and storageChanged acts
            if (!"ok".equals(dbCheck)) LOG.severe("database quick_check: " + dbCheck);
        } catch (RuntimeException e) {
            dbCheck = "failed: " + e.getMessage();
            LOG.log(Level.SEVERE, "database check failed", e);
        }
    }

    /** While writes fail (a full disk), tries one now and then: the hub is healthy again as soon as one commits. */
    private void probeStorage() {
        if (db.health().state() == StoreHealth.State.DEGRADED && db.probe()) LOG.info("the database takes writes again");
    }

    /**
     * The database's health changed. Degraded: said in the log, in {@code hub status}, doctor and the cockpits, while
     * it lasts. Corrupt: the hub refuses to serve; it leaves a mark beside the file, so a hub started later checks the
     * whole file before it serves again, and stops.
     */
    private void storageChanged(StoreHealth h) {
        switch (h.state()) {
            case OK -> LOG.info("storage healthy again");
            case DEGRADED -> LOG.warning("storage degraded: " + h.reason() + " (the hub keeps serving what it can and heals"
                    + " by itself once writes work again)");
            case CORRUPT -> {
                LOG.severe("refusing to serve: " + SqliteDatabase.corruptMessage(paths.database(), h.reason()));
                try {
                    HubPaths.ensurePrivateFile(corruptMark());
                    Files.writeString(corruptMark(), Instant.now() + " " + h.reason() + "\n");
                } catch (IOException e) {
                    LOG.warning("could not write " + corruptMark() + ": " + e.getMessage());
                }
                exitCode = EXIT_DATABASE_REFUSED;
                shutdownSoon("the database is corrupt");
            }
        }
    }

    /** Left beside a database found corrupt while serving; gone once the file checks out again (or is recovered). */
    private Path corruptMark() {
        return corruptMark(paths);
    }

    static Path corruptMark(HubPaths paths) {
        return paths.database().resolveSibling(paths.database().getFileName() + ".corrupt");
    }

    /** A database found corrupt before is checked whole before the hub serves from it again. */
    private void stillCorrupt() {
        if (store.target() != null || !Files.exists(corruptMark())) return; // the mark is the local file's
        String check = db.quickCheck();
        if (!"ok".equals(check)) throw new StoreException(SqliteDatabase.corruptMessage(paths.database(), "quick_check: " + check));
        try {
            Files.deleteIfExists(corruptMark());
        } catch (IOException ignored) {
            // checked again next time
        }
    }

    private void touch() {
        lastActivity.set(System.currentTimeMillis());
    }

    /** Starts an orderly shutdown (returns at once). */
    private void shutdownSoon(String reason) {
        if (stopping.compareAndSet(false, true)) {
            stopReason = reason;
            LOG.info("hub stopping: " + reason);
            stopped.countDown();
        }
    }

    private void close() {
        if (services != null) {
            services.web.stop();
            services.cockpit.close();
        }
        if (server != null) server.close();
        if (http != null) http.stop();
        if (services != null) services.close();
        timers.shutdownNow();
        if (db != null) db.close();
        try {
            Files.deleteIfExists(paths.hubInfo());
        } catch (IOException ignored) {
            // informational file
        }
    }

    /** What {@code huddle hub status} shows; answers whatever state the database is in (-1: could not be read). */
    private HubStatus status() {
        Runtime rt = Runtime.getRuntime();
        StoreHealth storage = db.health();
        int schema = -1;
        int agents = -1;
        try {
            schema = db.schemaVersion();
            agents = services.registry.all(false).size();
        } catch (StoreException e) {
            // storage says why
        }
        return new HubStatus(ProcessHandle.current().pid(), Version.CURRENT.version(), Version.CURRENT.build(), startedAt,
                Duration.between(startedAt, Instant.now()).toSeconds(), paths.home().toString(), paths.mcpSocket().toString(),
                paths.httpSocket().toString(), db.location(), schema, dbCheck, agents,
                services.registry.fronts().size(), services.cockpit.watchers(), config.idleExit().toSeconds(), config.problems(),
                (rt.totalMemory() - rt.freeMemory()) >> 20, storage.state().wireName(), storage.reason(), storage.since(),
                rehearsal == null ? Rehearsal.State.NONE.wireName() : rehearsal.state().wireName());
    }

    private Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("ok", true);
        h.put("version", Version.CURRENT.version());
        h.put("pid", ProcessHandle.current().pid());
        h.put("storage", db == null ? "opening" : db.health().state().wireName());
        if (http != null) h.put("hook_port", http.tcpPort());
        if (http != null && http.tcpProblem() != null) h.put("hook_port_problem", http.tcpProblem());
        return h;
    }

    /**
     * The loopback port of the hook listener, kept in $HUDDLE_HOME (chosen now when none is); 0, no listener, where the
     * hub cannot prove who opened a TCP connection (no /proc: macOS), so setup keeps curl hooks there.
     */
    private int hookPort() {
        String why = TcpPeers.unavailable();
        if (why != null) {
            LOG.info("no hook port: " + why);
            return 0;
        }
        try {
            return HookPort.ensure(paths);
        } catch (IOException e) {
            LOG.warning("no hook port: " + e.getMessage());
            return 0;
        }
    }
}
