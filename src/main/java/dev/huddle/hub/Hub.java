package dev.huddle.hub;

import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.ClaimsControl;
import dev.huddle.hub.claims.CommitGuard;
import dev.huddle.hub.claims.NioRealPaths;
import dev.huddle.hub.claims.ShellWrites;
import dev.huddle.hub.cockpit.Cockpit;
import dev.huddle.hub.cockpit.CockpitFeed;
import dev.huddle.hub.cockpit.WebServer;
import dev.huddle.hub.control.ControlService;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.hooks.HttpApi;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.mcp.HubTools;
import dev.huddle.hub.mcp.McpSessions;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.reading.ReadSessions;
import dev.huddle.hub.wake.RewakeWaiters;
import dev.huddle.hub.wake.WakeListeners;
import dev.huddle.hub.wake.WakeService;
import dev.huddle.hub.wake.WakeTimers;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.store.StoreException;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteNativeLibrary;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.HubStatus;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code huddle hub run}: the one long-lived process per user that owns all state. Start-up order keeps the
 * time to first answer short: take the hub lock, bind the socket (clients queue), then open the database and
 * start HTTP in parallel, then accept.
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
    private SqliteDatabase db;
    private AgentRegistry registry;
    private HubServer server;
    private HttpApi http;
    private McpSyncServer mcpServer;
    private WakeTimers wakeTimers;
    private CockpitFeed cockpit;
    private WebServer web;
    private ShellWrites shellWrites;
    private String stopReason = "";
    private volatile String dbCheck = "pending";

    private Hub(HubPaths paths, HubConfig config) {
        this.paths = paths;
        this.config = config;
    }

    /** Runs the hub until it is stopped; returns the process exit code. */
    public static int run(Map<String, String> env, PrintStream err) {
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
                Hub hub = new Hub(paths, HubConfig.load(paths.config(), env));
                return hub.runLocked(err);
            }
        } catch (IOException e) {
            err.println("huddle hub: " + e.getMessage());
            LOG.log(Level.SEVERE, "hub failed", e);
            return EXIT_SETUP_FAILED;
        }
    }

    private int runLocked(PrintStream err) throws IOException {
        long t0 = System.nanoTime();
        McpJsonMapper mapper;
        config.problems().forEach(p -> LOG.warning("config: " + p));
        HubServer pendingServer;
        CompletableFuture<Void> httpStarted;
        try {
            HubPaths.ensurePrivateFile(paths.database());
            SqliteNativeLibrary.useCached(paths.home().resolve("native"));
            CompletableFuture<SqliteDatabase> opening = CompletableFuture.supplyAsync(() -> SqliteDatabase.open(paths.database()),
                    Executors.newVirtualThreadPerTaskExecutor());
            http = new HttpApi(paths.httpSocket(), this::health);
            httpStarted = CompletableFuture.runAsync(() -> {
                try {
                    http.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            mapper = McpJsonDefaults.getMapper(); // Jackson's cold start overlaps the database open
            db = opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            String msg = cause instanceof StoreException ? cause.getMessage() : String.valueOf(cause);
            err.println("huddle hub: refusing to start: " + msg);
            LOG.severe("refusing to start: " + msg);
            if (http != null) http.stop();
            return EXIT_DATABASE_REFUSED;
        }
        ProcessInspector processes = new ProcessInspector();
        SqliteAgentStore agentStore = new SqliteAgentStore(db);
        AgentClients clients = AgentClients.installed();
        OfflineListeners offline = new OfflineListeners();
        registry = new AgentRegistry(agentStore, db, processes, new TerminalLocator(processes),
                new ProjectLocator(new NioFileProbe()), clock, clients, config.retireAfter(), offline);
        SqliteMessageStore messageStore = new SqliteMessageStore(db);
        dev.huddle.store.sqlite.SqliteWakeStore wakeStore = new dev.huddle.store.sqlite.SqliteWakeStore(db);
        Deliveries deliveries = new Deliveries(messageStore, db, clock);
        Messaging messaging = new Messaging(agentStore, messageStore, db, deliveries, clock, config);
        McpSessions sessions = new McpSessions(mapper, registry, deliveries, config.maxLineBytes());
        RewakeWaiters rewakeWaiters = new RewakeWaiters();
        NioRealPaths realPaths = new NioRealPaths();
        Claims claims = new Claims(registry, new dev.huddle.store.sqlite.SqliteClaimStore(db),
                new dev.huddle.core.claims.ClaimPaths(realPaths), realPaths, clock, config.claimEditWindow());
        offline.add(rewakeWaiters::release); // a dead agent's waiter (no SessionEnd came) ends instead of polling for a day
        offline.add(claims::holderOffline); // and its claims end with it
        shellWrites = new ShellWrites(claims, messaging, clock);
        dev.huddle.core.wake.WakeSettings wakeSettings = config.wakeSettings(); // HUDDLE_WAKE=off included: HubConfig reads it
        WakeListeners wakeListeners = new WakeListeners();
        WakeService wakeService = new WakeService(clients, registry, wakeStore, db, rewakeWaiters, dev.huddle.terminal.TerminalWakers.system(),
                wakeSettings, config.wakeTerminal(), clock, wakeListeners);
        HookService hookService = new HookService(clients, registry, claims, messaging, deliveries, rewakeWaiters, wakeService::waiterArmed,
                HookService.REWAKE_HOLD_MS, shellWrites, config.claimsModes());
        messaging.wakeWith(wakeService, wakeStore);
        wakeTimers = new WakeTimers(agentStore, messageStore, wakeStore, db, wakeSettings, clock, wakeService::afterCommit,
                messaging.askWaiters()::isWaiting, Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wake-timers").daemon(true).factory()),
                clients.routesThatKeepTheWake());
        wakeListeners.add(wakeTimers);
        ReadSessions reads = new ReadSessions(clients, registry, agentStore, dev.huddle.terminal.PaneReader.system(processes), clock,
                System.getenv(), config.readSession());
        mcpServer = McpServer.sync(sessions)
                .serverInfo("huddle", Version.CURRENT.version())
                .instructions(dev.huddle.protocol.tools.Tools.INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .immediateExecution(true)
                .validateToolInputs(false) // HubTools validates, answering with huddle's structured errors
                .requestTimeout(Duration.ofSeconds(30))
                .tools(new HubTools(registry, messaging, hookService, config, clock, reads, claims).specifications(mapper))
                .build();
        ChangeSignal changes = new ChangeSignal();
        db.onChange(tables -> changes.committed());
        cockpit = new CockpitFeed(new Cockpit(registry, messaging, new dev.huddle.store.sqlite.SqliteClaimStore(db), reads::lastTool,
                rewakeWaiters, clock), changes);
        ControlService control = new ControlService(this::status, registry, messaging, wakeStore, rewakeWaiters, reads, cockpit,
                new ClaimsControl(claims, registry, messaging, clock), clock);
        web = control.web();
        pendingServer = new HubServer(this, paths.mcpSocket(), registry, sessions, control, timers, config.maxLineBytes());
        pendingServer.bind();
        server = pendingServer;
        server.acceptLoop();
        try {
            httpStarted.join();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP socket unavailable (hooks will fail open until the hub restarts)", e);
        }
        http.commits(new CommitGuard(claims, registry, config.claimsModes(), clock));
        http.hooks(hookService);
        writeHubInfo();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdownSoon("signal"), "hub-shutdown-hook"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("hub " + Version.CURRENT + " ready in " + ms + " ms (pid " + ProcessHandle.current().pid() + ", home " + paths.home() + ")");
        err.println("huddle hub ready in " + ms + " ms");

        wakeTimers.start(); // after the hook socket is up: a retry may go through a rewake hook
        timers.scheduleWithFixedDelay(this::sweep, config.livenessInterval().toMillis(), config.livenessInterval().toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::idleCheck, 1, 1, TimeUnit.SECONDS);
        timers.schedule(this::checkDatabase, 2, TimeUnit.SECONDS);
        timers.schedule(() -> SqliteNativeLibrary.cache(paths.home().resolve("native")), 3, TimeUnit.SECONDS);
        AotTraining.scheduleIfMissing(timers, paths);

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        LOG.info("hub stopped: " + stopReason);
        return EXIT_OK;
    }

    private void sweep() {
        try {
            registry.sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "liveness sweep failed", e);
        }
    }

    private void idleCheck() {
        if (config.idleExit().isZero()) return;
        if (server.openConnections() > 0 || !registry.fronts().isEmpty() || web.clients() > 0) { // a watching page counts
            touch();
            return;
        }
        if (System.currentTimeMillis() - lastActivity.get() > config.idleExit().toMillis()) {
            shutdownSoon("idle for " + config.idleExit().toSeconds() + " s with no connected fronts");
        }
    }

    private void checkDatabase() {
        try {
            dbCheck = db.quickCheck();
            if (!"ok".equals(dbCheck)) LOG.severe("database quick_check: " + dbCheck);
        } catch (RuntimeException e) {
            dbCheck = "failed: " + e.getMessage();
            LOG.log(Level.SEVERE, "database check failed", e);
        }
    }

    void touch() {
        lastActivity.set(System.currentTimeMillis());
    }

    /** Starts an orderly shutdown (returns at once). */
    void shutdownSoon(String reason) {
        if (stopping.compareAndSet(false, true)) {
            stopReason = reason;
            LOG.info("hub stopping: " + reason);
            stopped.countDown();
        }
    }

    private void close() {
        if (web != null) web.stop();
        if (cockpit != null) cockpit.close();
        if (server != null) server.close();
        if (http != null) http.stop();
        if (mcpServer != null) {
            try {
                mcpServer.close();
            } catch (RuntimeException ignored) {
                // closing
            }
        }
        timers.shutdownNow();
        if (wakeTimers != null) wakeTimers.close();
        if (shellWrites != null) shellWrites.close();
        if (db != null) db.close();
        try {
            Files.deleteIfExists(paths.hubInfo());
        } catch (IOException ignored) {
            // informational file
        }
    }

    private HubStatus status() {
        Runtime rt = Runtime.getRuntime();
        return new HubStatus(ProcessHandle.current().pid(), Version.CURRENT.version(), Version.CURRENT.build(), startedAt,
                Duration.between(startedAt, Instant.now()).toSeconds(), paths.home().toString(), paths.mcpSocket().toString(),
                paths.httpSocket().toString(), paths.database().toString(), db.schemaVersion(), dbCheck, registry.all(false).size(),
                registry.fronts().size(), cockpit == null ? 0 : cockpit.watchers(), config.idleExit().toSeconds(), config.problems(),
                (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    private Map<String, Object> health() {
        return Map.of("ok", true, "version", Version.CURRENT.version(), "pid", ProcessHandle.current().pid());
    }

    private void writeHubInfo() {
        try {
            Path tmp = paths.home().resolve("hub.json.tmp");
            HubPaths.ensurePrivateFile(tmp);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("pid", ProcessHandle.current().pid());
            info.put("version", Version.CURRENT.version());
            info.put("build", Version.CURRENT.build());
            info.put("started_at", startedAt.toString());
            info.put("mcp_socket", paths.mcpSocket().toString());
            info.put("http_socket", paths.httpSocket().toString());
            Files.writeString(tmp, JsonMapper.shared().writeValueAsString(info));
            Files.move(tmp, paths.hubInfo(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning("could not write " + paths.hubInfo() + ": " + e.getMessage());
        }
    }

}
