package dev.huddle.hub.wake;

import dev.huddle.hub.Hub;
import dev.huddle.hub.HubConfig;
import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.NioRealPaths;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.identity.Callers;
import dev.huddle.hub.reading.TranscriptTrust;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.messaging.Asking;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.Wakes;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Claude Code session that dies without {@code SessionEnd} (killed, crashed) leaves its rewake loop orphaned: it
 * must not stay armed in the hub, and its next poll must neither arm again nor bring the dead session back online.
 */
@Timeout(60)
class RewakeWaiterLifecycleTest {
    @TempDir
    Path tmp;
    SqliteDatabase db;
    AgentRegistry registry;
    RewakeWaiters waiters;
    HookService hooks;
    Process agent;

    @BeforeEach
    void setUp() throws Exception {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        ProcessInspector procs = new ProcessInspector();
        OfflineListeners offline = new OfflineListeners();
        AgentClients clients = AgentClients.installed();
        registry = new AgentRegistry(new SqliteAgentStore(db), db, procs, new TerminalLocator(procs),
                new ProjectLocator(new NioFileProbe()), Clock.systemUTC(), clients, Duration.ofHours(24), offline);
        SqliteMessageStore messages = new SqliteMessageStore(db);
        Deliveries deliveries = new Deliveries(messages, db, Clock.systemUTC());
        Messaging messaging = Messaging.create(new SqliteAgentStore(db), messages, new SqliteWakeStore(db), db, deliveries, Wakes.NONE,
                new ChangeSignal(), new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), Clock.systemUTC());
        waiters = new RewakeWaiters();
        offline.add(waiters::release); // as Hub wires it
        hooks = new HookService(clients, registry, new Claims(registry, new dev.huddle.store.sqlite.SqliteClaimStore(db),
                new dev.huddle.core.claims.ClaimPaths(new NioRealPaths()), Clock.systemUTC()), messaging.inbox(), deliveries, waiters, 60_000,
                new TranscriptTrust(registry, new SqliteAgentStore(db), Map.of()));
        agent = new ProcessBuilder("sleep", "60").start(); // stands in for the claude process ($PPID of its hooks)
    }

    @AfterEach
    void tearDown() {
        agent.destroyForcibly();
        db.close();
    }

    @Test
    void theWaiterOfAnAgentWhoseProcessEndedIsReleasedAndItsNextPollEndsQuietly() throws Exception {
        String sid = UUID.randomUUID().toString();
        hook("Stop", sid, agent.pid());
        String agentId = registry.find(sid).orElseThrow().agentId();
        CompletableFuture<HookService.Answer> waiting = CompletableFuture.supplyAsync(() -> hook("Rewake", sid, agent.pid()));
        await().atMost(10, TimeUnit.SECONDS).until(() -> waiters.isArmed(agentId));

        agent.destroyForcibly().waitFor();
        registry.sweep(); // the hub's liveness check: the process ended, so the agent goes offline

        HookService.Answer released = waiting.get(10, TimeUnit.SECONDS);
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.body()).as("empty: the loop exits 0 instead of polling again").isEmpty();
        assertThat(waiters.isArmed(agentId)).isFalse();
        assertThat(registry.find(sid).orElseThrow().online()).isFalse();

        // The orphaned loop polls again ($PPID still names the dead process): it ends at once, nothing changes.
        HookService.Answer again = CompletableFuture.supplyAsync(() -> hook("Rewake", sid, agent.pid())).get(5, TimeUnit.SECONDS);
        assertThat(again.body()).isEmpty();
        assertThat(again.status()).isEqualTo(200);
        assertThat(waiters.isArmed(agentId)).isFalse();
        assertThat(registry.find(sid).orElseThrow().online()).as("a dead session is not brought back online").isFalse();
    }

    private final Callers callers = new Callers(new ProcessInspector());

    private HookService.Answer hook(String endpoint, String sid, long pid) {
        String payload = "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"" + tmp.resolve(sid + ".jsonl")
                + "\",\"cwd\":\"" + tmp + "\",\"hook_event_name\":\"Stop\",\"stop_hook_active\":false}";
        // The agent's hook runs under it; once it is gone, the orphaned loop runs under some other process (here: this JVM).
        Caller caller = agent.isAlive() ? callers.ofPid(agent.pid()) : callers.ofPid(ProcessHandle.current().pid());
        return hooks.handle("claude", endpoint, payload.getBytes(StandardCharsets.UTF_8), caller, pid, System.nanoTime());
    }
}
