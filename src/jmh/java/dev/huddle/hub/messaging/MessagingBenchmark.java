package dev.huddle.hub.messaging;

import dev.huddle.hub.HubConfig;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The hub's side of messaging, in process, on a real SQLite file (WAL): what one {@code send_message} costs in
 * {@link Sending} (resolve the target, insert and commit), its parts, and the store queries of a
 * {@code read_my_messages} with a 10,000-message backlog. The hub serialises database work behind one lock, so
 * {@link #send} bounds the hub's throughput from above: 1 / send.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MessagingBenchmark {
    /** Agents in the project (the senders and the receiver of the throughput figure, plus some). */
    @Param({"22"})
    int agents;

    @Param({"10000"})
    int backlog;

    /** Messages the backlogged agent received and read before its backlog (its delivered history). */
    @Param({"0", "50000"})
    int history;

    private Path dir;
    private SqliteDatabase db;
    private SqliteAgentStore agentStore;
    private SqliteMessageStore messageStore;
    private Sending sending;
    private Recipients recipients;
    private Agent sender;
    private Agent receiver;
    private Agent backlogged;
    private Draft draft;
    private final String project = "/work/bench-project";

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("huddle-jmh-");
        db = SqliteDatabase.open(dir.resolve("huddle.db"));
        agentStore = new SqliteAgentStore(db);
        messageStore = new SqliteMessageStore(db);
        Clock clock = Clock.systemUTC();
        sending = Messaging.create(agentStore, messageStore, new SqliteWakeStore(db), db, new Deliveries(messageStore, db, clock), Wakes.NONE,
                new ChangeSignal(), new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), clock).sending();
        recipients = new Recipients(agentStore);
        Instant now = Instant.now();
        Agent[] made = new Agent[agents];
        db.inTransaction(() -> {
            for (int i = 0; i < agents; i++) {
                String sid = UUID.randomUUID().toString();
                AgentProcess p = new AgentProcess(4_000_000L + i, now.toEpochMilli() - 3_600_000 + i);
                Agent a = Agent.create(sid, sid, BindingSource.ENV, ClientType.CLAUDE_CODE, project, project, p, now);
                agentStore.save(a);
                agentStore.linkProcess(p, sid, now);
                made[i] = a;
            }
            return null;
        });
        sender = made[0];
        receiver = made[1];
        backlogged = made[2];
        draft = Draft.of("tests pass on my branch, please review the diff before the 3 pm sync", null, null, null, false);
        db.inTransaction(() -> { // one transaction: set-up speed only
            List<String> read = new java.util.ArrayList<>();
            for (int i = 0; i < history; i++) read.add(sending.send(made[3 + i % (agents - 3)], backlogged.sessionId(), draft).messageId());
            messageStore.markDelivered(read, now, Message.DeliveryVia.TOOL);
            for (int i = 0; i < backlog; i++) sending.send(made[3 + i % (agents - 3)], backlogged.sessionId(), draft);
            return null;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        dev.huddle.tools.aot.ChildJava.deleteTree(dir);
    }

    /** The whole of send_message below the MCP layer: resolve by session id, insert + commit. */
    @Benchmark
    public Object send() {
        return sending.send(sender, receiver.sessionId(), draft);
    }

    /** Target resolution alone (it lists every agent). */
    @Benchmark
    public Agent resolve() {
        return recipients.resolve(sender, receiver.sessionId());
    }

    /** What each tool call does first, twice per send today (onToolCall and the tool): agent by process, then by id. */
    @Benchmark
    public Object currentAgent() {
        return agentStore.agentIdForProcess(sender.process()).flatMap(agentStore::find).orElseThrow();
    }

    /**
     * The store queries of one read_my_messages with the backlog queued, after {@code history} delivered messages
     * (nothing is marked delivered here).
     */
    @Benchmark
    public int readQueries() {
        List<Message> batch = messageStore.undelivered(backlogged.agentId(), Set.of(), 50);
        return batch.size() + messageStore.countUndelivered(backlogged.agentId()) + messageStore.countOpenObligations(backlogged.agentId());
    }
}
