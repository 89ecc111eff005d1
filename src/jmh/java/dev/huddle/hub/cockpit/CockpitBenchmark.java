package dev.huddle.hub.cockpit;

import dev.huddle.hub.HubConfig;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.messaging.Asking;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Draft;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.Wakes;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.json.Json;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteClaimStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The hub's half of one cockpit frame ({@code huddle watch}, {@code huddle web}), in process on a real SQLite file:
 * the snapshot of a project with {@code agents} agents and a {@code history}-message history (a third of it unread,
 * open obligations, pending asks that form wait cycles, a claim per agent), and that snapshot as the JSON line the
 * hub writes. The budget for a whole frame is 16 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CockpitBenchmark {
    @Param({"50"})
    int agents;

    @Param({"10000"})
    int history;

    private Path dir;
    private SqliteDatabase db;
    private Cockpit cockpit;
    private SqliteMessageStore messageStore;
    private Messaging messaging;
    private AgentRegistry registry;
    private final String project = "/work/bench-project";

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("huddle-jmh-cockpit-");
        db = SqliteDatabase.open(dir.resolve("huddle.db"));
        SqliteAgentStore agentStore = new SqliteAgentStore(db);
        messageStore = new SqliteMessageStore(db);
        SqliteClaimStore claims = new SqliteClaimStore(db);
        Clock clock = Clock.systemUTC();
        messaging = Messaging.create(agentStore, messageStore, new SqliteWakeStore(db), db, new Deliveries(messageStore, db, clock), Wakes.NONE,
                new ChangeSignal(), new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), clock);
        ProcessInspector processes = new ProcessInspector();
        registry = new AgentRegistry(agentStore, db, processes, new TerminalLocator(processes),
                new ProjectLocator(new NioFileProbe()), clock, dev.huddle.agents.AgentClients.installed(), Duration.ofHours(24),
                new OfflineListeners());
        Instant now = Instant.now();
        List<Agent> made = new ArrayList<>();
        ClientType[] clients = {ClientType.CLAUDE_CODE, ClientType.CODEX, ClientType.GEMINI};
        db.inTransaction(() -> {
            for (int i = 0; i < agents; i++) {
                String sid = UUID.randomUUID().toString();
                AgentProcess p = new AgentProcess(4_000_000L + i, now.toEpochMilli() - 3_600_000 + i);
                Agent a = Agent.create(sid, sid, BindingSource.ENV, clients[i % 3], project, project, p, now)
                        .withState("work item " + i + ": refactor module " + i, "agent-" + i, now)
                        .withActivity(i % 2 == 0 ? Activity.BUSY : Activity.IDLE, now);
                if (i % 10 == 9) a = a.wentOffline(now);
                agentStore.save(a);
                made.add(a);
                claims.put(List.of(new PathClaim(project, sid, "src/module" + i + "/**", ClaimMode.EXCLUSIVE, "refactor", now,
                        now.plusSeconds(3600))));
            }
            List<String> read = new ArrayList<>();
            for (int i = 0; i < history; i++) {
                Agent from = made.get(i % agents);
                Agent to = made.get((i * 7 + 1) % agents);
                if (from == to) to = made.get((i + 1) % agents);
                boolean work = i % 50 == 0;
                String id = messaging.sending().send(from, to.sessionId(), Draft.of("message " + i + ": the tests in module " + (i % agents)
                        + " pass; please review the diff before the sync", null, null, null, work)).messageId();
                if (i % 3 != 0) read.add(id);
            }
            messageStore.markDelivered(read, now, Message.DeliveryVia.TOOL);
            // pending asks in pairs that wait for each other: cycles for the wait graph
            for (int i = 0; i + 1 < agents; i += 5) {
                Agent x = made.get(i);
                Agent y = made.get(i + 1);
                messageStore.insertAsk(new dev.huddle.core.messaging.Ask("r" + i, messaging.sending().send(x, y.sessionId(),
                        Draft.of("which branch?", null, null, null, false)).messageId(), x.agentId(), y.agentId(), now,
                        dev.huddle.core.messaging.Ask.State.PENDING, null, null));
                messageStore.insertAsk(new dev.huddle.core.messaging.Ask("s" + i, messaging.sending().send(y, x.sessionId(),
                        Draft.of("which file?", null, null, null, false)).messageId(), y.agentId(), x.agentId(), now,
                        dev.huddle.core.messaging.Ask.State.PENDING, null, null));
            }
            return null;
        });
        LastTool tool = new LastTool("Edit", "src/module/Parser.java", null, null);
        cockpit = new Cockpit(registry, messaging.history(), claims, a -> tool, new RewakeWaiters(), clock);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        dev.huddle.tools.aot.ChildJava.deleteTree(dir);
    }

    /** The snapshot a watcher gets after a change (built afresh, as after every change). */
    @Benchmark
    public CockpitSnapshot snapshot() {
        return cockpit.snapshot(project, 1, Duration.ofMinutes(30));
    }

    /** The snapshot and its JSON line: what the hub does per change (once, whoever watches). */
    @Benchmark
    public String snapshotAsJson() {
        return Json.write(cockpit.snapshot(project, 1, Duration.ofMinutes(30)));
    }

    @Benchmark
    public Object pendingAsks() {
        return messageStore.pendingAsks(project);
    }

    @Benchmark
    public Object openObligations() {
        return messageStore.openObligationsIn(project);
    }

    @Benchmark
    public Object unreadByRecipient() {
        return messageStore.unreadByRecipient(project);
    }

    /** Its parts: what waits for what (pending asks, open obligations, unread per recipient). */
    @Benchmark
    public Object openWaits() {
        return messaging.history().openWaits(project);
    }

    /** Its parts: the newest messages of the feed. */
    @Benchmark
    public Object feedHistory() {
        return messaging.history().history(project, null, 0, Cockpit.FEED_LIMIT);
    }

    /** Its parts: the project's agents. */
    @Benchmark
    public Object projectAgents() {
        return registry.inProject(project, true);
    }
}
