package dev.huddle.hub;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.ClaimsControl;
import dev.huddle.hub.claims.CommitGuard;
import dev.huddle.hub.claims.NioRealPaths;
import dev.huddle.hub.claims.ShellWrites;
import dev.huddle.hub.cockpit.Cockpit;
import dev.huddle.hub.cockpit.CockpitFeed;
import dev.huddle.hub.cockpit.WebServer;
import dev.huddle.hub.control.ControlService;
import dev.huddle.hub.control.TeamOps;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.MachineBeat;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.mcp.HubTools;
import dev.huddle.hub.mcp.McpSessions;
import dev.huddle.hub.messaging.Asking;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.RemoteReplies;
import dev.huddle.hub.messaging.Wakes;
import dev.huddle.hub.reading.ReadAnswers;
import dev.huddle.hub.reading.ReadSessions;
import dev.huddle.hub.reading.RemoteReads;
import dev.huddle.hub.wake.OwnedWakes;
import dev.huddle.hub.wake.RewakeWaiters;
import dev.huddle.hub.wake.WakeListeners;
import dev.huddle.hub.wake.WakeService;
import dev.huddle.hub.wake.WakeTimers;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.store.AgentStore;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.ClaimStore;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;
import dev.huddle.store.WakeStore;
import dev.huddle.terminal.PaneReader;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import dev.huddle.terminal.TerminalWakers;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The hub's composition root: builds every service once, by constructor, in dependency order, over an open database.
 * No service is handed a collaborator after it is built. Where two services genuinely need each other, an event
 * object is created first, handed to its producer by constructor, and its listeners join it here once they exist:
 * {@link OfflineListeners} (the registry tells; rewake waiters and claims let go), {@link WakeListeners} (the wake
 * service's decisions; the wake timers, which wake through the service, listen), the database's {@link ChangeSignal}
 * (every commit; the cockpit and {@code huddle log --follow} wait on it). Messaging decides wakes through its own
 * port ({@link Wakes}), the hook service tells the wake service of an armed rewake waiter. {@link Hub} owns the
 * lifecycle: what starts when, and what stops.
 */
final class HubServices implements AutoCloseable {
    final AgentRegistry registry;
    final McpSessions sessions;
    final HookService hooks;
    final CommitGuard commits;
    final CockpitFeed cockpit;
    final WebServer web;
    final ControlService control;
    /** Not started: the hub starts them once the hook socket is up (a retry may go through a rewake hook). */
    final WakeTimers wakeTimers;
    private final ShellWrites shellWrites;
    /** Replies other machines' hubs commit, for the asks waiting here (a shared store only), or null. */
    private final RemoteReplies remoteReplies;
    /** This hub's heartbeat on a shared store (its agents shown offline to the others once it stops), or null. */
    private final MachineBeat heartbeat;
    private final McpSyncServer mcpServer;
    /** Wakes other machines' hubs decided for this machine's agents, and their reads of them (a shared store), or null. */
    private final OwnedWakes ownedWakes;
    private final ReadAnswers readAnswers;

    /** @param status the hub's status, for {@code huddle hub status} */
    HubServices(HubConfig config, HubDatabase store, McpJsonMapper mapper, Supplier<HubStatus> status, Clock clock) {
        ChangeSignal changes = new ChangeSignal();
        store.onChange(changes::committed);
        ChangeSignal otherHubs = new ChangeSignal(); // what other machines' rows ask of this hub: no look after its own commits
        store.onOtherHubsChange(otherHubs::committed);
        Transactor db = store.tx();
        OfflineListeners offline = new OfflineListeners();
        WakeListeners wakeListeners = new WakeListeners();
        AgentClients clients = AgentClients.installed();

        ProcessInspector processes = new ProcessInspector();
        AgentStore agentStore = store.agents();
        MessageStore messageStore = store.messages();
        WakeStore wakeStore = store.wakes();
        ClaimStore claimStore = store.claims();
        registry = new AgentRegistry(agentStore, db, processes, new TerminalLocator(processes), new ProjectLocator(new NioFileProbe()),
                store.shared(), clock, clients, config.retireAfter(), offline);
        RewakeWaiters rewake = new RewakeWaiters();
        NioRealPaths realPaths = new NioRealPaths();
        Claims claims = new Claims(registry, claimStore, new ClaimPaths(realPaths), realPaths, clock, config.claimEditWindow(),
                store.shared() ? db : null, store.shared() ? changes::generation : () -> 0);
        offline.add(rewake::release); // a dead agent's waiter (no SessionEnd came) ends instead of polling for a day
        offline.add(claims::holderOffline); // and its claims end with it

        WakeSettings wakeSettings = config.wakeSettings(); // HUDDLE_WAKE=off included: HubConfig reads it
        WakeService wakeService = new WakeService(clients, registry, wakeStore, db, rewake, TerminalWakers.system(), wakeSettings,
                config.wakeTerminal(), clock, wakeListeners);
        Deliveries deliveries = new Deliveries(messageStore, db, clock);
        Messaging messaging = Messaging.create(agentStore, messageStore, wakeStore, db, deliveries, wakesThrough(wakeService), changes,
                new Asking.Timeouts(config.askTimeout(), config.askMaxTimeout()), clock);
        wakeTimers = new WakeTimers(agentStore, messageStore, wakeStore, db, wakeSettings, clock, wakeService::afterCommit,
                messaging.askWaiters()::isWaiting,
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wake-timers").daemon(true).factory()),
                clients.routesThatKeepTheWake());
        wakeListeners.add(wakeTimers);
        remoteReplies = store.shared() ? new RemoteReplies(messaging, messageStore, deliveries, otherHubs).start() : null;
        heartbeat = store.heartbeats() == null ? null : new MachineBeat(store.heartbeats(), changes, store.machine(),
                Version.CURRENT.version(), ProcessHandle.current().pid(), clock.instant()).start();

        shellWrites = new ShellWrites(claims, messaging.notices(), clock);
        ReadSessions reads = new ReadSessions(clients, registry, agentStore, PaneReader.system(processes), clock, System.getenv(), config.readSession(),
                store.shared() ? new RemoteReads(store.readRequests(), otherHubs, clock, RemoteReads.ANSWER_WAIT) : null);
        // a shared store: this hub acts for its own agents when other machines' hubs ask (a wake, a read)
        ownedWakes = store.shared() ? new OwnedWakes(wakeStore, registry, wakeService, otherHubs, clock,
                messaging.askWaiters()::isWaiting, (agentId, messageId) -> deliveries.reservedFor(agentId).contains(messageId)
                        || messageStore.find(messageId).map(dev.huddle.core.messaging.Message::delivered).orElse(false)) : null;
        readAnswers = store.shared() ? new ReadAnswers(store.readRequests(), agentStore, reads, otherHubs, clock, store.machine(),
                config.teamReadTranscripts()).start() : null;
        hooks = new HookService(clients, registry, claims, messaging.inbox(), deliveries, rewake, wakeService::waiterArmed,
                HookService.REWAKE_HOLD_MS, shellWrites, config.claimsModes(), reads.transcripts());
        commits = new CommitGuard(claims, registry, config.claimsModes(), clock);

        sessions = new McpSessions(mapper, registry, deliveries, config.maxLineBytes());
        mcpServer = mcpServer(sessions, new HubTools(registry, messaging, deliveries, hooks, config.allowCrossProject(), clock, reads, claims)
                .specifications(mapper));

        store.onHealth(health -> changes.committed()); // the cockpits show a full disk (or a lost server) while it lasts
        // receipts that could not be written meanwhile (their messages held back from a second delivery), on their own thread
        store.onHealth(health -> {
            if (health.ok()) Thread.ofVirtual().name("receipts").start(deliveries::recordUnrecorded);
        });
        cockpit = new CockpitFeed(new Cockpit(registry, messaging.history(), claimStore, reads::lastTool, rewake, clock, store::health), changes);
        control = new ControlService(status, registry, messaging, wakeStore, rewake, reads, cockpit,
                new ClaimsControl(claims, registry, messaging.notices(), clock),
                new TeamOps(store.heartbeats(), store.location(), store.machine()), clock);
        web = control.web(); // the control service serves huddle web; its page acts as the human through the same handlers
    }

    /**
     * The hub's MCP server on {@code sessions}. What it answers to {@code initialize} and {@code tools/list} the front
     * answers too, before the hub is up (protocol/tools/McpCatalogue; McpCatalogueTest holds the two equal).
     */
    static McpSyncServer mcpServer(McpSessions sessions, List<McpServerFeatures.SyncToolSpecification> tools) {
        return McpServer.sync(sessions)
                .serverInfo("huddle", Version.CURRENT.version())
                .instructions(Tools.INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .immediateExecution(true)
                .validateToolInputs(false) // HubTools validates, answering with huddle's structured errors
                .requestTimeout(Duration.ofSeconds(30))
                .tools(tools)
                .build();
    }

    /** Messaging's wake decisions, made by the wake service: recorded in the message's transaction, started after it. */
    static Wakes wakesThrough(WakeService service) {
        return (messageId, recipient, request) -> {
            WakeService.Decision d = service.decide(messageId, recipient, request, 1);
            return () -> {
                WakeService.Outcome o = service.start(d);
                return new Wakes.Outcome(o.status(), o.reason());
            };
        };
    }

    /** Starts the wake timers and the wakes owed here by other machines' hubs: once the hook socket is up (a rewake hook). */
    void startWakes() {
        wakeTimers.start();
        if (ownedWakes != null) ownedWakes.start();
    }

    /** Stops what runs on its own behind the sockets: the MCP sessions, the wake timers, the shell-write scans. */
    @Override
    public void close() {
        try {
            mcpServer.close();
        } catch (RuntimeException ignored) {
            // closing
        }
        wakeTimers.close();
        shellWrites.close();
        if (remoteReplies != null) remoteReplies.close();
        if (ownedWakes != null) ownedWakes.close();
        if (readAnswers != null) readAnswers.close();
        if (heartbeat != null) heartbeat.close(); // last: the others see this machine's agents offline from here
    }
}
